/**
 * Entry of the CrossGuard policy pack, as `pulumi preview --policy-pack policy` loads it. The
 * `PolicyPack` constructor starts the gRPC server the CLI talks to, so nothing else may import this
 * file: the policies live in `rules/`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT, PACK_NAME, policies } from "./rules";

new PolicyPack(PACK_NAME, { policies, enforcementLevel: PACK_ENFORCEMENT });
