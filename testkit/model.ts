import { expect } from "vitest";
import { resourcesOf, type ModelResource, type StackModel } from "../model/rendered";

/** The one resource of a type (and logical name) in a rendered stack; fails the test otherwise. */
export function onlyResource(model: StackModel, type: string, name?: string): ModelResource {
  const found = resourcesOf(model, type, name);
  expect(found, `${type} ${name ?? ""}`.trim()).toHaveLength(1);
  return found[0];
}
