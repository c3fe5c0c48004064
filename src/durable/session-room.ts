// SessionRoom: one Durable Object per class session, the single point every punch of it passes
// through (ARCHITECTURE §2). Its synchronous SQLite storage makes check-then-write atomic.
// The punch RPC methods and live-counter WebSockets are built with the QR check-in issue (#6).
import { DurableObject } from "cloudflare:workers";

export class SessionRoom extends DurableObject<Env> {}
