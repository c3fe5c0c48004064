// Resets one SessionRoom as an eviction, a redeploy or a lost machine would: its instance and
// everything in memory are gone, requests inside it fail, its storage stays. Only that room:
// abortAllDurableObjects() would also reset the rooms of test files running beside it.
import { runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import type { SessionRoom } from "../../src/durable/session-room";

const REASON = "test: SessionRoom reset";

export async function resetRoom(room: DurableObjectStub<SessionRoom>): Promise<void> {
	// abort() throws in the instance; the call into it fails with the reason.
	await expect(runInDurableObject(room, (_instance, state) => state.abort(REASON))).rejects.toThrow(REASON);
}
