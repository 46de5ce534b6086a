import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventBus, type EventSubscriber, SLOW_CONSUMER_CLOSE } from "./events.js";

/** A subscriber whose socket never drains when `stuck`; past `bound` queued bytes it refuses and closes, as a Connection does. */
function subscriber(id: string, scopes: string[], stuck = false, bound = 10_000) {
  const frames: Array<Record<string, unknown>> = [];
  let buffered = 0;
  let closed: { code: number; reason: string } | undefined;
  const sub: EventSubscriber = {
    id,
    scopes,
    bufferedBytes: () => buffered,
    write: (text) => {
      if (stuck && buffered + text.length > bound) {
        closed = { code: SLOW_CONSUMER_CLOSE.code, reason: SLOW_CONSUMER_CLOSE.reason };
        return false;
      }
      if (stuck) buffered += text.length;
      frames.push(JSON.parse(text));
      return true;
    },
    close: (code, reason) => {
      closed = { code, reason };
    },
  };
  return { sub, frames, closed: () => closed };
}

describe("event bus", () => {
  test("each subscriber gets its own gap-free seq", () => {
    const bus = new EventBus(1 << 20);
    const a = subscriber("a", ["operator.read"]);
    const b = subscriber("b", ["operator.read"]);
    bus.subscribe(a.sub);
    bus.publish("tick", { ts: 1 });
    bus.subscribe(b.sub);
    bus.publish("tick", { ts: 2 });
    bus.sendTo("b", "connect.challenge", { nonce: "n" });
    bus.publish("tick", { ts: 3 });
    assert.deepEqual(
      a.frames.map((f) => f.seq),
      [0, 1, 2],
    );
    assert.deepEqual(
      b.frames.map((f) => [f.event, f.seq]),
      [
        ["tick", 0],
        ["connect.challenge", 1],
        ["tick", 2],
      ],
    );
  });

  test("scoped events reach only subscribers holding the scope (admin implies everything)", () => {
    const bus = new EventBus(1 << 20);
    const reader = subscriber("r", ["operator.read"]);
    const admin = subscriber("w", ["operator.admin"]);
    bus.subscribe(reader.sub);
    bus.subscribe(admin.sub);
    bus.publish("config.changed", { secret: true }, { scope: "operator.admin" });
    bus.publish("tick", {});
    assert.deepEqual(
      reader.frames.map((f) => f.event),
      ["tick"],
    );
    assert.deepEqual(
      admin.frames.map((f) => f.event),
      ["config.changed", "tick"],
    );
  });

  test("presence and health events carry a rising stateVersion", () => {
    const bus = new EventBus(1 << 20);
    const a = subscriber("a", ["operator.read"]);
    bus.subscribe(a.sub);
    bus.publish("presence", []);
    bus.publish("health", {}, { state: "health" });
    bus.publish("presence", [], { state: "presence" });
    assert.equal(a.frames[0]!.stateVersion, undefined);
    assert.deepEqual(a.frames[1]!.stateVersion, { presence: 0, health: 1 });
    assert.deepEqual(a.frames[2]!.stateVersion, { presence: 1, health: 1 });
  });

  test("a subscriber that refuses a frame (slow consumer) gets nothing more and is counted; others keep receiving", () => {
    const bus = new EventBus(10_000);
    const slow = subscriber("slow", ["operator.read"], true);
    const fast = subscriber("fast", ["operator.read"]);
    bus.subscribe(slow.sub);
    bus.subscribe(fast.sub);
    for (let i = 0; i < 1000; i++) bus.publish("tick", { ts: i, pad: "x".repeat(50) });
    assert.deepEqual(slow.closed(), { code: SLOW_CONSUMER_CLOSE.code, reason: SLOW_CONSUMER_CLOSE.reason });
    assert.ok(slow.frames.length < 200, `slow got ${slow.frames.length} frames before being closed`);
    assert.equal(fast.frames.length, 1000);
    assert.equal(bus.stats.dropped, 1, "one frame refused, then the subscriber is skipped");
    assert.equal(bus.stats.sent, 1000 + slow.frames.length);
  });
});
