import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { resourcesOf, type ModelResource, type StackModel } from "../model/rendered";

/** The one resource of a type (and logical name) in a rendered stack; fails the test otherwise. */
export function onlyResource(model: StackModel, type: string, name?: string): ModelResource {
  const found = resourcesOf(model, type, name);
  expect(found, `${type} ${name ?? ""}`.trim()).toHaveLength(1);
  return found[0];
}

/**
 * The error a program's run rejects with, checked to be a `pulumi.ResourceError` (which the CLI
 * reports against the resource that threw, not as a crash of the program) with `text` in its message.
 * `isInstance` rather than `instanceof`: the tests load the program in fresh module registries, so
 * its SDK is another copy than this file's. Awaited through `rejects`, as before: awaiting the run's
 * rejection by hand left the failed program's pending registrations to reject after the test.
 */
export async function resourceErrorOf(run: Promise<unknown>, text: string): Promise<pulumi.ResourceError> {
  let error: unknown;
  await expect(
    run.catch((e: unknown) => {
      error = e;
      throw e;
    }),
  ).rejects.toThrow(text);
  expect(pulumi.ResourceError.isInstance(error), `not a pulumi.ResourceError: ${String(error)}`).toBe(true);
  return error as pulumi.ResourceError;
}
