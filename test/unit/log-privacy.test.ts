// The patterns of the log privacy check: personal data and credentials in clear are found, their
// masked forms and the ids and codes logs are meant to carry are not.
import { describe, expect, it } from "vitest";
import { leaksIn } from "../log-privacy";

const kinds = (line: string) => leaksIn(line).map((l) => l.kind);

describe("leaksIn", () => {
	it.each([
		["a national ID", '{"id":"A123456789"}', "national ID"],
		["a lower-case national ID", "who=a123456789", "national ID"],
		["a new resident certificate", '{"arc":"A800000014"}', "national ID"],
		["an old resident certificate", '{"arc":"AC01234567"}', "national ID"],
		["a mobile as typed", '{"to":"0912-345-678"}', "phone"],
		["a mobile in E.164", '{"to":"+886912345678"}', "phone"],
		["a mobile with the trunk 0", '{"to":"+8860912345678"}', "phone"],
		["an e-mail address", '{"to":"lin.mei@example.com"}', "e-mail"],
		["a one-time code", '{"code":"123456"}', "code"],
		["a short code", "shortCode=123 456", "code"],
		["a JWT", '{"t":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLWhlcmU"}', "token"],
		["a session QR token", "q1.1a.5k3n2.15.AbCdEfGhIjKlMn", "token"],
		["a personal QR token", "p1.2s.t.lq2w3e4r.abcdefgh.AbCdEfGhIjKlMn", "token"],
		["a binding link", "https://x.test/bind?t=abcdefghijklmnopqrstuvwxyz", "token"],
		["a password field", '{"password":"TrainingLine-2026"}', "secret field"],
	])("finds %s", (_, line, kind) => {
		expect(kinds(line)).toContain(kind);
	});

	it.each([
		["a masked national ID", '{"id":"A12****789"}'],
		["a masked mobile", '{"to":"09xx-xxx-678"}'],
		["a masked e-mail address", '{"to":"a***@example.com"}'],
		["an ID with a wrong checksum", '{"ref":"A123456788"}'],
		["a LINE user ID", '{"userId":"U4af4980629a1234567890abcdef01234"}'],
		["a request id", '{"requestId":"0f3c2a1e-9b8d-4c7a-a123-456789012345"}'],
		// Regression: the suite once failed at random on a request id whose hex held "0912-3456789".
		["a request id with a mobile-like run", '{"requestId":"0f3c2a1e-9b8d-4c7a-0912-345678abcdef"}'],
		["a hex id with a mobile-like run", '{"id":"ab0912345678cd"}'],
		["epoch milliseconds", '{"at":1764912345678,"next":0912}'],
		["a status code", '{"statusCode":200,"code":"TOKEN_EXPIRED"}'],
		["an error naming a token kind", '{"error":"token expired","reason":"TOKEN_FORGED"}'],
		["a six-digit id", '{"sessionId":123456}'],
	])("leaves %s alone", (_, line) => {
		expect(leaksIn(line)).toEqual([]);
	});
});
