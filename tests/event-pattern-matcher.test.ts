/**
 * The test matcher follows EventBridge's documented semantics for the operators it supports, and
 * refuses the rest. Cases from "Amazon EventBridge event patterns", "Arrays in Amazon EventBridge
 * event patterns" and "Comparison operators for use in event patterns"
 * (docs.aws.amazon.com/eventbridge/latest/userguide/).
 */

import { describe, expect, it } from "vitest";
import { matchesEventPattern } from "../testkit/event-pattern-matcher";

const EC2_EVENT = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: [
    "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0",
    "arn:aws:ec2:us-west-1:123456789012:instance/i-0987654321fedcba0",
  ],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

describe("event pattern matcher", () => {
  it("matches every listed field (AND) and any listed value (OR)", () => {
    expect(
      matchesEventPattern({ source: ["aws.ec2"], detail: { state: ["running", "terminated"] } }, EC2_EVENT),
    ).toBe(true);
    expect(matchesEventPattern({ source: ["aws.ec2"], detail: { state: ["running"] } }, EC2_EVENT)).toBe(
      false,
    );
  });

  it("matches exactly, case-sensitively, and by JSON type", () => {
    expect(matchesEventPattern({ source: ["AWS.EC2"] }, EC2_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { flag: [true] } }, { detail: { flag: "true" } })).toBe(false);
    expect(matchesEventPattern({ detail: { flag: [true] } }, { detail: { flag: true } })).toBe(true);
  });

  it("never matches a field the event lacks", () => {
    expect(matchesEventPattern({ detail: { missing: ["x"] } }, EC2_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { nested: { deep: ["x"] } } }, EC2_EVENT)).toBe(false);
  });

  it("matches an array field of the event when any element matches", () => {
    expect(
      matchesEventPattern(
        { resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-0987654321fedcba0"] },
        EC2_EVENT,
      ),
    ).toBe(true);
  });

  it("matches a prefix", () => {
    expect(matchesEventPattern({ source: [{ prefix: "aws." }] }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ source: [{ prefix: "aws.ec3" }] }, EC2_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { n: [{ prefix: "1" }] } }, { detail: { n: 12 } })).toBe(false);
  });

  it("refuses operators it does not implement instead of guessing", () => {
    expect(() => matchesEventPattern({ source: [{ "anything-but": "aws.s3" }] }, EC2_EVENT)).toThrow(
      /not supported/,
    );
    expect(() => matchesEventPattern({ source: [{ exists: true }] }, EC2_EVENT)).toThrow(/not supported/);
    expect(() => matchesEventPattern({ source: "aws.ec2" }, EC2_EVENT)).toThrow(
      /must be a list or an object/,
    );
  });
});
