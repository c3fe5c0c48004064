// The data model (ARCHITECTURE §4): the one source of truth; migrations/ is generated from it.
// Instants are INTEGER epoch ms (UTC). Business dates are TEXT "YYYY-MM-DD" in Asia/Taipei.

import { sql } from "drizzle-orm";
import {
	check,
	index,
	integer,
	primaryKey,
	real,
	sqliteTable,
	text,
	uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { ATTENDANCE_STATUSES, PUNCH_ACTIONS, PUNCH_METHODS } from "../domain/attendance-status";
import { LEAVE_STATUSES } from "../domain/leave-status";
import { LINE_ROLES, STAFF_ROLES } from "../domain/roles";

const createdAt = () => integer("created_at").notNull();
const updatedAt = () => integer("updated_at").notNull();

// ── Organisation and training ────────────────────────────────────────────────────────────────

/** Training units (訓練單位). Their contact is what 學員專區 shows as "聯繫訓練單位". */
export const units = sqliteTable("units", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	code: text("code").notNull().unique(),
	name: text("name").notNull(),
	contactName: text("contact_name"),
	contactPhone: text("contact_phone"),
	contactEmail: text("contact_email"),
	address: text("address"),
	createdAt: createdAt(),
	updatedAt: updatedAt(),
});

/**
 * Training plans (計畫) with the settings every leave and attendance rule reads. The defaults are
 * the manual's: withdraw within 7 days, units revoke within 14 days, 3 days' notice suggested.
 */
export const plans = sqliteTable(
	"plans",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		code: text("code").notNull().unique(),
		name: text("name").notNull(),
		/** Minutes after a session's start before a check-in counts as 遲到. */
		lateGraceMinutes: integer("late_grace_minutes").notNull().default(10),
		/** Minutes before a session's end before a check-out counts as 早退. */
		earlyLeaveGraceMinutes: integer("early_leave_grace_minutes").notNull().default(10),
		/** A trainee may withdraw (銷假) a pending request until the end of this many days after its last date. */
		cancelWindowDays: integer("cancel_window_days").notNull().default(7),
		/** A unit may revoke an approved request until the end of this many days after its last date. */
		revokeWindowDays: integer("revoke_window_days").notNull().default(14),
		/** How many days back a trainee may ask for leave. */
		backdateLimitDays: integer("backdate_limit_days").notNull().default(7),
		/** Pending requests not reviewed this many days after their last date expire (已逾期). */
		reviewWindowDays: integer("review_window_days").notNull().default(14),
		/** Days of notice suggested for planned leave types. */
		advanceNoticeDays: integer("advance_notice_days").notNull().default(3),
		/** Share of a class's total hours on leave at which the trainee and unit are warned. */
		leaveHoursWarningRatio: real("leave_hours_warning_ratio").notNull().default(0.1),
		/** Check-in opens this many minutes before a session starts. */
		checkInOpensMinutes: integer("check_in_opens_minutes").notNull().default(30),
		/** Check-out stays open this many minutes after a session ends. */
		checkOutClosesMinutes: integer("check_out_closes_minutes").notNull().default(60),
		/** Seconds each rotating session QR code is shown. */
		qrRotationSeconds: integer("qr_rotation_seconds").notNull().default(15),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		check("plans_ratio_range", sql`${t.leaveHoursWarningRatio} > 0 AND ${t.leaveHoursWarningRatio} <= 1`),
		check("plans_qr_rotation_range", sql`${t.qrRotationSeconds} BETWEEN 5 AND 300`),
	],
);

/** The ten leave types of the manual (seeded by migration-independent demo data and by deploy). */
export const leaveTypes = sqliteTable("leave_types", {
	code: text("code").primaryKey(),
	name: text("name").notNull(),
	kind: text("kind", { enum: ["absence", "late", "missed_punch"] }).notNull(),
	needsProof: integer("needs_proof", { mode: "boolean" }).notNull().default(false),
	planned: integer("planned", { mode: "boolean" }).notNull().default(false),
	sortOrder: integer("sort_order").notNull().default(0),
});

/** Which leave types a plan offers (依計畫有不同的假卡狀態選擇). */
export const planLeaveTypes = sqliteTable(
	"plan_leave_types",
	{
		planId: integer("plan_id")
			.notNull()
			.references(() => plans.id, { onDelete: "cascade" }),
		leaveTypeCode: text("leave_type_code")
			.notNull()
			.references(() => leaveTypes.code),
	},
	(t) => [primaryKey({ columns: [t.planId, t.leaveTypeCode] })],
);

/** Classes (班級) run by a unit under a plan. */
export const classes = sqliteTable(
	"classes",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		unitId: integer("unit_id")
			.notNull()
			.references(() => units.id),
		planId: integer("plan_id")
			.notNull()
			.references(() => plans.id),
		code: text("code").notNull().unique(),
		name: text("name").notNull(),
		startDate: text("start_date").notNull(),
		/** 結訓日: the last day of the class. */
		endDate: text("end_date").notNull(),
		location: text("location"),
		totalHours: real("total_hours").notNull().default(0),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		index("classes_unit_idx").on(t.unitId, t.startDate),
		// The agency's 班級 list (every unit, newest first) pages without sorting every class ever run.
		index("classes_start_date_idx").on(t.startDate),
		check("classes_dates_order", sql`${t.startDate} <= ${t.endDate}`),
	],
);

/** Class sessions (課程節次): the unit of leave and of check-in/out. */
export const sessions = sqliteTable(
	"sessions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		classId: integer("class_id")
			.notNull()
			.references(() => classes.id),
		date: text("date").notNull(),
		startsAt: integer("starts_at").notNull(),
		endsAt: integer("ends_at").notNull(),
		hours: real("hours").notNull(),
		subject: text("subject").notNull(),
		teacherPersonId: integer("teacher_person_id").references(() => people.id),
		room: text("room"),
		cancelledAt: integer("cancelled_at"),
		cancelReason: text("cancel_reason"),
		/** Set by the close-out job once every trainee's final status was written. */
		closedAt: integer("closed_at"),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		// A trainee's sessions of a day, a class's timetable for a date range.
		uniqueIndex("sessions_class_start_uq").on(t.classId, t.startsAt),
		index("sessions_class_date_idx").on(t.classId, t.date),
		// Today's sessions across a unit (dashboard) and the close-out job walk by date.
		index("sessions_date_idx").on(t.date, t.startsAt),
		index("sessions_teacher_date_idx").on(t.teacherPersonId, t.date),
		index("sessions_close_out_idx").on(t.closedAt, t.endsAt),
		check("sessions_time_order", sql`${t.startsAt} < ${t.endsAt}`),
		check("sessions_hours_positive", sql`${t.hours} > 0`),
	],
);

// ── People and roster ────────────────────────────────────────────────────────────────────────

/**
 * The roster. The national ID is never stored in clear: an HMAC (PII_HMAC_KEY) for matching and a
 * masked form (A12****789) for display. Phone is E.164, e-mail lower-case.
 */
export const people = sqliteTable(
	"people",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		name: text("name").notNull(),
		nationalIdHmac: text("national_id_hmac").notNull().unique(),
		nationalIdMasked: text("national_id_masked").notNull(),
		nationalIdKind: text("national_id_kind", {
			enum: ["national", "resident_new", "resident_old"],
		}).notNull(),
		birthDate: text("birth_date").notNull(),
		phone: text("phone"),
		email: text("email"),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [index("people_phone_idx").on(t.phone), index("people_email_idx").on(t.email)],
);

/** Trainees of a class. Withdrawn trainees keep their history but can no longer punch or ask leave. */
export const enrollments = sqliteTable(
	"enrollments",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		classId: integer("class_id")
			.notNull()
			.references(() => classes.id),
		personId: integer("person_id")
			.notNull()
			.references(() => people.id),
		seatNo: integer("seat_no"),
		status: text("status", { enum: ["active", "withdrawn"] })
			.notNull()
			.default("active"),
		enrolledAt: integer("enrolled_at").notNull(),
		withdrawnAt: integer("withdrawn_at"),
	},
	(t) => [
		uniqueIndex("enrollments_class_person_uq").on(t.classId, t.personId),
		index("enrollments_person_idx").on(t.personId, t.status),
	],
);

/** Teachers of a class (a session names its own teacher; this says who may show its QR). */
export const classTeachers = sqliteTable(
	"class_teachers",
	{
		classId: integer("class_id")
			.notNull()
			.references(() => classes.id),
		personId: integer("person_id")
			.notNull()
			.references(() => people.id),
		createdAt: createdAt(),
	},
	(t) => [
		primaryKey({ columns: [t.classId, t.personId] }),
		index("class_teachers_person_idx").on(t.personId),
	],
);

// ── LINE ─────────────────────────────────────────────────────────────────────────────────────

/** LINE users who ever followed the account; pushes skip blocked users. */
export const lineUsers = sqliteTable("line_users", {
	userId: text("user_id").primaryKey(),
	followedAt: integer("followed_at"),
	blockedAt: integer("blocked_at"),
	/** The identity the rich menu and LIFF pages follow (切換身分); null while unbound. */
	activeRole: text("active_role", { enum: LINE_ROLES }),
	/** The rich menu last linked on the server, so switching can tell whether a relink is needed. */
	richMenu: text("rich_menu", { enum: ["unbound", "trainee", "teacher"] }),
	createdAt: createdAt(),
	updatedAt: updatedAt(),
});

/** One binding per (LINE user, role) and one LINE user per (person, role). */
export const lineBindings = sqliteTable(
	"line_bindings",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		lineUserId: text("line_user_id")
			.notNull()
			.references(() => lineUsers.userId),
		role: text("role", { enum: LINE_ROLES }).notNull(),
		personId: integer("person_id")
			.notNull()
			.references(() => people.id),
		boundAt: integer("bound_at").notNull(),
	},
	(t) => [
		uniqueIndex("line_bindings_user_role_uq").on(t.lineUserId, t.role),
		uniqueIndex("line_bindings_person_role_uq").on(t.personId, t.role),
	],
);

/**
 * One-time binding links (/bind?t=…): valid 10 minutes, consumed only by the final successful
 * submit. The nonce is the one handed to LINE's account-link dialog and returned in accountLink.
 */
export const bindingRequests = sqliteTable(
	"binding_requests",
	{
		id: text("id").primaryKey(),
		lineUserId: text("line_user_id")
			.notNull()
			.references(() => lineUsers.userId),
		role: text("role", { enum: LINE_ROLES }).notNull(),
		linkToken: text("link_token"),
		expiresAt: integer("expires_at").notNull(),
		/** When the privacy statement (個資使用聲明) was agreed. */
		consentedAt: integer("consented_at"),
		/** The roster person whose name, ID and birth date were matched. */
		personId: integer("person_id").references(() => people.id),
		/** When the one-time code was confirmed; the account-link nonce is issued from then on. */
		verifiedAt: integer("verified_at"),
		nonce: text("nonce").unique(),
		nonceExpiresAt: integer("nonce_expires_at"),
		usedAt: integer("used_at"),
		/** Asking for a new link voids the previous one. */
		voidedAt: integer("voided_at"),
		/** Identity or contact data that did not match the roster; the link locks at the limit. */
		failedAttempts: integer("failed_attempts").notNull().default(0),
		createdAt: createdAt(),
	},
	(t) => [
		index("binding_requests_user_idx").on(t.lineUserId, t.createdAt),
		index("binding_requests_expiry_idx").on(t.expiresAt),
	],
);

/** One-time codes sent by SMS or e-mail: only the hash is kept, with tries and expiry. */
export const otpChallenges = sqliteTable(
	"otp_challenges",
	{
		id: text("id").primaryKey(),
		bindingRequestId: text("binding_request_id")
			.notNull()
			.references(() => bindingRequests.id, { onDelete: "cascade" }),
		channel: text("channel", { enum: ["sms", "email"] }).notNull(),
		/** HMAC of the normalized destination: counts sends per destination without storing it. */
		destinationHmac: text("destination_hmac").notNull(),
		destinationMasked: text("destination_masked").notNull(),
		codeHash: text("code_hash").notNull(),
		expiresAt: integer("expires_at").notNull(),
		attempts: integer("attempts").notNull().default(0),
		verifiedAt: integer("verified_at"),
		createdAt: createdAt(),
	},
	(t) => [
		index("otp_challenges_request_idx").on(t.bindingRequestId, t.createdAt),
		index("otp_challenges_destination_idx").on(t.destinationHmac, t.createdAt),
		index("otp_challenges_expiry_idx").on(t.expiresAt),
	],
);

/** Webhook events stored before handling: dedupe on webhookEventId, retry failures by cron. */
export const webhookEvents = sqliteTable(
	"webhook_events",
	{
		webhookEventId: text("webhook_event_id").primaryKey(),
		type: text("type").notNull(),
		lineUserId: text("line_user_id"),
		payload: text("payload").notNull(),
		status: text("status", { enum: ["received", "done", "failed", "dead"] })
			.notNull()
			.default("received"),
		attempts: integer("attempts").notNull().default(0),
		lastError: text("last_error"),
		nextAttemptAt: integer("next_attempt_at"),
		receivedAt: integer("received_at").notNull(),
		handledAt: integer("handled_at"),
	},
	(t) => [
		index("webhook_events_retry_idx").on(t.status, t.nextAttemptAt),
		index("webhook_events_received_idx").on(t.receivedAt),
	],
);

/**
 * Outgoing messages and calls (LINE push, per-user rich-menu link, SMS, e-mail). retryKey is sent as X-Line-Retry-Key and reused on
 * every retry; dedupeKey names the logical message so a business event is queued once.
 */
export const outbox = sqliteTable(
	"outbox",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		channel: text("channel", { enum: ["line_push", "line_rich_menu", "sms", "email"] }).notNull(),
		recipient: text("recipient").notNull(),
		payload: text("payload").notNull(),
		retryKey: text("retry_key").notNull().unique(),
		dedupeKey: text("dedupe_key").unique(),
		status: text("status", { enum: ["pending", "sent", "failed", "dead"] })
			.notNull()
			.default("pending"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: integer("next_attempt_at").notNull(),
		lastError: text("last_error"),
		lastRequestId: text("last_request_id"),
		createdAt: createdAt(),
		sentAt: integer("sent_at"),
	},
	(t) => [
		index("outbox_due_idx").on(t.status, t.nextAttemptAt),
		index("outbox_recipient_idx").on(t.recipient, t.createdAt),
	],
);

// ── Leave ────────────────────────────────────────────────────────────────────────────────────

/** Leave requests (假單). unitId is copied from the class so a unit's queue is one index range. */
export const leaveRequests = sqliteTable(
	"leave_requests",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		personId: integer("person_id")
			.notNull()
			.references(() => people.id),
		classId: integer("class_id")
			.notNull()
			.references(() => classes.id),
		unitId: integer("unit_id")
			.notNull()
			.references(() => units.id),
		leaveTypeCode: text("leave_type_code")
			.notNull()
			.references(() => leaveTypes.code),
		remark: text("remark"),
		status: text("status", { enum: LEAVE_STATUSES }).notNull().default("pending"),
		/** First and last leave date and total hours of its sessions, for windows and lists. */
		firstDate: text("first_date").notNull(),
		lastDate: text("last_date").notNull(),
		hours: real("hours").notNull(),
		/** The client's key: a double tap on 確定 makes one request. */
		idempotencyKey: text("idempotency_key").notNull(),
		submittedAt: integer("submitted_at").notNull(),
		reviewedAt: integer("reviewed_at"),
		reviewerStaffId: integer("reviewer_staff_id").references(() => staff.id),
		reviewRemark: text("review_remark"),
		cancelledAt: integer("cancelled_at"),
		revokedAt: integer("revoked_at"),
		revokedByStaffId: integer("revoked_by_staff_id").references(() => staff.id),
		revokeReason: text("revoke_reason"),
		expiredAt: integer("expired_at"),
		updatedAt: updatedAt(),
	},
	(t) => [
		uniqueIndex("leave_requests_idempotency_uq").on(t.personId, t.idempotencyKey),
		index("leave_requests_person_idx").on(t.personId, t.submittedAt),
		// A unit's review queue (filtered by status, newest or oldest first).
		index("leave_requests_unit_status_idx").on(t.unitId, t.status, t.submittedAt),
		// The unit's whole queue, newest first, without sorting every request it ever had.
		index("leave_requests_unit_submitted_idx").on(t.unitId, t.submittedAt),
		index("leave_requests_class_status_idx").on(t.classId, t.status, t.firstDate),
		// The expiry job and the digest scan pending requests by date.
		index("leave_requests_status_last_date_idx").on(t.status, t.lastDate),
	],
);

/**
 * Sessions covered by a request. `active` is 1 while the request is pending or approved and NULL
 * otherwise; the partial unique index then allows one active request per (person, session).
 */
export const leaveRequestSessions = sqliteTable(
	"leave_request_sessions",
	{
		leaveRequestId: integer("leave_request_id")
			.notNull()
			.references(() => leaveRequests.id, { onDelete: "cascade" }),
		sessionId: integer("session_id")
			.notNull()
			.references(() => sessions.id),
		personId: integer("person_id")
			.notNull()
			.references(() => people.id),
		active: integer("active"),
	},
	(t) => [
		primaryKey({ columns: [t.leaveRequestId, t.sessionId] }),
		uniqueIndex("leave_request_sessions_one_active_uq")
			.on(t.personId, t.sessionId)
			.where(sql`${t.active} = 1`),
		index("leave_request_sessions_session_idx").on(t.sessionId),
		check("leave_request_sessions_active_flag", sql`${t.active} IS NULL OR ${t.active} = 1`),
	],
);

/** Proof files (images/PDF) in R2 under unguessable keys. */
export const leaveAttachments = sqliteTable(
	"leave_attachments",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		leaveRequestId: integer("leave_request_id")
			.notNull()
			.references(() => leaveRequests.id, { onDelete: "cascade" }),
		r2Key: text("r2_key").notNull().unique(),
		fileName: text("file_name").notNull(),
		contentType: text("content_type").notNull(),
		size: integer("size").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("leave_attachments_request_idx").on(t.leaveRequestId)],
);

// ── Attendance ───────────────────────────────────────────────────────────────────────────────

/** One row per (session, person): first check-in, last check-out and the derived status. */
export const attendance = sqliteTable(
	"attendance",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		sessionId: integer("session_id")
			.notNull()
			.references(() => sessions.id),
		personId: integer("person_id")
			.notNull()
			.references(() => people.id),
		role: text("role", { enum: LINE_ROLES }).notNull(),
		checkInAt: integer("check_in_at"),
		checkInMethod: text("check_in_method", { enum: PUNCH_METHODS }),
		checkOutAt: integer("check_out_at"),
		checkOutMethod: text("check_out_method", { enum: PUNCH_METHODS }),
		status: text("status", { enum: ATTENDANCE_STATUSES }).notNull().default("pending"),
		leaveTypeCode: text("leave_type_code").references(() => leaveTypes.code),
		/** Set when a clerk corrected the record by hand (the audit log holds the details). */
		correctedAt: integer("corrected_at"),
		correctedByStaffId: integer("corrected_by_staff_id").references(() => staff.id),
		correctionReason: text("correction_reason"),
		updatedAt: updatedAt(),
	},
	(t) => [
		uniqueIndex("attendance_session_person_uq").on(t.sessionId, t.personId),
		index("attendance_person_idx").on(t.personId, t.sessionId),
	],
);

/** Append-only log of every punch, accepted or refused (with the reason). */
export const punches = sqliteTable(
	"punches",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		/** Assigned by the SessionRoom: makes its write-through to D1 idempotent. */
		punchKey: text("punch_key").notNull().unique(),
		sessionId: integer("session_id")
			.notNull()
			.references(() => sessions.id),
		personId: integer("person_id").references(() => people.id),
		role: text("role", { enum: LINE_ROLES }),
		action: text("action", { enum: PUNCH_ACTIONS }).notNull(),
		method: text("method", { enum: PUNCH_METHODS }).notNull(),
		at: integer("at").notNull(),
		accepted: integer("accepted", { mode: "boolean" }).notNull(),
		/** Stable refusal code (e.g. OUTSIDE_WINDOW, TOKEN_EXPIRED); null when accepted. */
		reason: text("reason"),
		/** Staff member who scanned a personal QR or entered it by hand. */
		byStaffId: integer("by_staff_id").references(() => staff.id),
		createdAt: createdAt(),
	},
	(t) => [
		index("punches_session_idx").on(t.sessionId, t.at),
		index("punches_person_idx").on(t.personId, t.at),
	],
);

/** Single-use tokens (personal QR per action, scan tickets): a jti may be consumed once. */
export const consumedTokens = sqliteTable(
	"consumed_tokens",
	{
		jti: text("jti").notNull(),
		purpose: text("purpose").notNull(),
		consumedAt: integer("consumed_at").notNull(),
		/** After this the token is refused by its own expiry, so the row can be purged. */
		expiresAt: integer("expires_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.jti, t.purpose] }), index("consumed_tokens_expiry_idx").on(t.expiresAt)],
);

// ── Dashboard ────────────────────────────────────────────────────────────────────────────────

/** Dashboard accounts. unitId is null only for agency admins. */
export const staff = sqliteTable(
	"staff",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		unitId: integer("unit_id").references(() => units.id),
		email: text("email").notNull().unique(),
		name: text("name").notNull(),
		role: text("role", { enum: STAFF_ROLES }).notNull(),
		/** PBKDF2 hash with its salt and iterations; null until the first password is set. */
		passwordHash: text("password_hash"),
		/** Bumped on logout-everywhere and password change: older session cookies stop working. */
		sessionVersion: integer("session_version").notNull().default(1),
		failedLogins: integer("failed_logins").notNull().default(0),
		lockedUntil: integer("locked_until"),
		lastLoginAt: integer("last_login_at"),
		disabledAt: integer("disabled_at"),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		index("staff_unit_idx").on(t.unitId),
		check("staff_unit_matches_role", sql`(${t.role} = 'agency_admin') = (${t.unitId} IS NULL)`),
	],
);

/** One-time links to set a first password or reset one; only the hash is kept. */
export const staffPasswordTokens = sqliteTable(
	"staff_password_tokens",
	{
		tokenHash: text("token_hash").primaryKey(),
		staffId: integer("staff_id")
			.notNull()
			.references(() => staff.id, { onDelete: "cascade" }),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		createdAt: createdAt(),
	},
	(t) => [index("staff_password_tokens_staff_idx").on(t.staffId)],
);

/** Who changed what, when, from what to what. unitId scopes the log to a unit's staff. */
export const auditLog = sqliteTable(
	"audit_log",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		at: integer("at").notNull(),
		actorType: text("actor_type", { enum: ["staff", "line_user", "system"] }).notNull(),
		actorId: text("actor_id"),
		unitId: integer("unit_id").references(() => units.id),
		action: text("action").notNull(),
		entityType: text("entity_type").notNull(),
		entityId: text("entity_id").notNull(),
		before: text("before"),
		after: text("after"),
		reason: text("reason"),
		requestId: text("request_id"),
	},
	(t) => [
		index("audit_log_unit_at_idx").on(t.unitId, t.at),
		index("audit_log_entity_idx").on(t.entityType, t.entityId, t.at),
		index("audit_log_at_idx").on(t.at),
	],
);

/** Agency-wide settings edited in 設定 (e.g. the monthly maintenance window, the hotline). */
export const appSettings = sqliteTable("app_settings", {
	key: text("key").primaryKey(),
	value: text("value").notNull(),
	updatedAt: updatedAt(),
});

// ── Development only ─────────────────────────────────────────────────────────────────────────

/**
 * What the local LINE emulator (ENVIRONMENT=development) received from the product: replies,
 * pushes, rich-menu links, link tokens. Empty and unused in production, where LINE itself is called.
 */
export const emulatorLog = sqliteTable(
	"emulator_log",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		at: integer("at").notNull(),
		userId: text("user_id"),
		kind: text("kind", {
			enum: ["reply", "push", "rich_menu", "link_token", "sms", "email", "user_event"],
		}).notNull(),
		body: text("body").notNull(),
		/** X-Line-Retry-Key of a push: the emulator answers 409 to a second push with the same key. */
		retryKey: text("retry_key").unique(),
	},
	(t) => [index("emulator_log_user_idx").on(t.userId, t.id)],
);
