/**
 * How the reviewer's diff (`npm start -- --since`) reads values: lists by value, JSON documents
 * inside strings as documents, multi-line text line by line in order, components without inputs.
 */
import { describe, expect, it } from "vitest";
import { diffStack, diffValue, formatStackDelta, type ChangeLine } from "../offline/change-diff";
import type { JsonValue, ResourceView, StackView } from "../offline/view";

function lines(a: JsonValue, b: JsonValue): string[] {
  const out: ChangeLine[] = [];
  diffValue("v", a, b, out);
  return out.map((l) => `${l.op} ${l.path}: ${l.text}`);
}

function view(resources: ResourceView[], outputs: Record<string, JsonValue> = {}): StackView {
  return {
    project: "p",
    stack: "s",
    stackUrn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s",
    resources,
    outputs,
  };
}

function resource(
  type: string,
  name: string,
  inputs: Record<string, JsonValue>,
  custom = true,
): ResourceView {
  return {
    urn: `urn:pulumi:s::p::${type}::${name}`,
    type,
    name,
    parent: "",
    custom,
    protect: false,
    dependsOn: [],
    inputs,
  };
}

describe("the reviewer's diff", () => {
  it("reads one URL inserted into a list as one insertion, not every later element changed", () => {
    expect(lines(["https://a/cb", "https://c/cb"], ["https://a/cb", "https://b/cb", "https://c/cb"])).toEqual(
      ["+ v[1]: https://b/cb"],
    );
  });

  it("reads a client ID added to a rule's list as added, the others kept", () => {
    expect(lines(["native"], ["native", "shop"])).toEqual(["+ v[1]: shop"]);
  });

  it("reads a removal as a removal and a move as a move", () => {
    expect(lines(["a", "b", "c"], ["a", "c"])).toEqual(["- v[1]: b"]);
    expect(lines(["a", "b", "c"], ["b", "c", "a"])).toEqual(["> v[2]: a (moved from [0])"]);
  });

  it("compares a JSON document inside a string (an event pattern) as a document", () => {
    const before = JSON.stringify({ source: ["aws.partner/auth0"], detail: { data: { type: ["sertft"] } } });
    const after = JSON.stringify({
      source: ["aws.partner/auth0"],
      detail: { data: { type: ["sertft", "fsertft"] } },
    });
    expect(lines(before, after)).toEqual(["+ v » detail.data.type[1]: fsertft"]);
  });

  it("compares multi-line text line by line, in line order", () => {
    const before = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
    const after = before.replace("line 2\n", "line two\n").replace("line 11", "line eleven");
    expect(lines(before, after)).toEqual([
      '- v » line 2: "line 2"',
      '+ v » line 2: "line two"',
      '- v » line 11: "line 11"',
      '+ v » line 11: "line eleven"',
    ]);
  });

  it("shows a new component as one line, never as + : {}", () => {
    const text = formatStackDelta(diffStack(view([]), view([resource("p:index:Widget", "w", {}, false)])), [
      "heading",
    ]);
    expect(text).toContain("  + w  (p:index:Widget, component)\n");
    expect(text).not.toContain("{}");
  });

  it("prints nothing for a resource that did not change", () => {
    const r = resource("aws:sns/topic:Topic", "alarms", { name: "alarms" });
    const d = diffStack(view([r]), view([r, resource("aws:sns/topic:Topic", "more", { name: "more" })]));
    expect(d.resources.map((x) => `${x.op} ${x.name}`)).toEqual(["+ more"]);
  });

  it("marks an Auth0 client's credentials moved to another client as a replacement, loudly", () => {
    const type = "auth0:index/clientCredentials:ClientCredentials";
    const d = diffStack(
      view([
        resource(type, "web-credentials", { clientId: "a", authenticationMethod: "client_secret_post" }),
      ]),
      view([
        resource(type, "web-credentials", { clientId: "b", authenticationMethod: "client_secret_post" }),
      ]),
    );
    expect(d.resources.map((x) => x.op)).toEqual(["+-"]);
    expect(formatStackDelta(d, [])).toMatch(/^!!! REPLACES web-credentials .*secret/m);
  });

  it.each([
    ["aws:iam/role:Role", "endpoint-role", /a new role with a new ARN/],
    ["aws:cloudwatch/logGroup:LogGroup", "endpoint-logs", /every line in it are deleted/],
    ["aws:cloudwatch/eventRule:EventRule", "monitoring-rules-exchange-failed", /not matched/],
    ["aws:sns/topic:Topic", "monitoring-alarms-topic", /confirms the e-mail/],
  ])(
    "marks a %s given a name as a replacement, as the AWS provider's ForceNew name does",
    (type, name, why) => {
      // An auto-named resource (no name input) given a physical name: the provider replaces it.
      const d = diffStack(
        view([resource(type, name, { tags: { a: "b" } })]),
        view([resource(type, name, { name: `native-web-sso-s_${name}`, tags: { a: "b" } })]),
      );
      expect(d.resources.map((x) => x.op)).toEqual(["+-"]);
      const text = formatStackDelta(d, []);
      expect(text).toContain("[forces replacement]");
      expect(text).toMatch(new RegExp(`^!!! REPLACES ${name} .*${why.source}`, "m"));
    },
  );

  it("warns loudly when an Auth0 client is deleted: its client ID goes with it", () => {
    const client = resource("auth0:index/client:Client", "native-client", { name: "Acme Native" });
    expect(formatStackDelta(diffStack(view([client]), view([])), [])).toMatch(
      /^!!! DELETES native-client \(auth0:index\/client:Client\): its client ID goes with it .*every shipped app/m,
    );
  });
});
