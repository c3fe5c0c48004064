CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`check_in_at` integer,
	`check_in_method` text,
	`check_out_at` integer,
	`check_out_method` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`leave_type_code` text,
	`corrected_at` integer,
	`corrected_by_staff_id` integer,
	`correction_reason` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leave_type_code`) REFERENCES `leave_types`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrected_by_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_session_person_uq` ON `attendance` (`session_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `attendance_person_idx` ON `attendance` (`person_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`unit_id` integer,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	`reason` text,
	`request_id` text,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_unit_at_idx` ON `audit_log` (`unit_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `binding_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`line_user_id` text NOT NULL,
	`role` text NOT NULL,
	`link_token` text,
	`expires_at` integer NOT NULL,
	`person_id` integer,
	`nonce` text,
	`nonce_expires_at` integer,
	`used_at` integer,
	`voided_at` integer,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`line_user_id`) REFERENCES `line_users`(`user_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `binding_requests_nonce_unique` ON `binding_requests` (`nonce`);--> statement-breakpoint
CREATE INDEX `binding_requests_user_idx` ON `binding_requests` (`line_user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `binding_requests_expiry_idx` ON `binding_requests` (`expires_at`);--> statement-breakpoint
CREATE TABLE `class_teachers` (
	`class_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`class_id`, `person_id`),
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `class_teachers_person_idx` ON `class_teachers` (`person_id`);--> statement-breakpoint
CREATE TABLE `classes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_id` integer NOT NULL,
	`plan_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`location` text,
	`total_hours` real DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "classes_dates_order" CHECK("classes"."start_date" <= "classes"."end_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `classes_code_unique` ON `classes` (`code`);--> statement-breakpoint
CREATE INDEX `classes_unit_idx` ON `classes` (`unit_id`,`start_date`);--> statement-breakpoint
CREATE TABLE `consumed_tokens` (
	`jti` text NOT NULL,
	`purpose` text NOT NULL,
	`consumed_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`jti`, `purpose`)
);
--> statement-breakpoint
CREATE INDEX `consumed_tokens_expiry_idx` ON `consumed_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`class_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`seat_no` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`enrolled_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_class_person_uq` ON `enrollments` (`class_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `enrollments_person_idx` ON `enrollments` (`person_id`,`status`);--> statement-breakpoint
CREATE TABLE `leave_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`leave_request_id` integer NOT NULL,
	`r2_key` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`leave_request_id`) REFERENCES `leave_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leave_attachments_r2_key_unique` ON `leave_attachments` (`r2_key`);--> statement-breakpoint
CREATE INDEX `leave_attachments_request_idx` ON `leave_attachments` (`leave_request_id`);--> statement-breakpoint
CREATE TABLE `leave_request_sessions` (
	`leave_request_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`active` integer,
	PRIMARY KEY(`leave_request_id`, `session_id`),
	FOREIGN KEY (`leave_request_id`) REFERENCES `leave_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "leave_request_sessions_active_flag" CHECK("leave_request_sessions"."active" IS NULL OR "leave_request_sessions"."active" = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leave_request_sessions_one_active_uq` ON `leave_request_sessions` (`person_id`,`session_id`) WHERE "leave_request_sessions"."active" = 1;--> statement-breakpoint
CREATE INDEX `leave_request_sessions_session_idx` ON `leave_request_sessions` (`session_id`);--> statement-breakpoint
CREATE TABLE `leave_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`class_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`leave_type_code` text NOT NULL,
	`remark` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`first_date` text NOT NULL,
	`last_date` text NOT NULL,
	`hours` real NOT NULL,
	`idempotency_key` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`reviewed_at` integer,
	`reviewer_staff_id` integer,
	`review_remark` text,
	`cancelled_at` integer,
	`revoked_at` integer,
	`revoked_by_staff_id` integer,
	`revoke_reason` text,
	`expired_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leave_type_code`) REFERENCES `leave_types`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leave_requests_idempotency_uq` ON `leave_requests` (`person_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `leave_requests_person_idx` ON `leave_requests` (`person_id`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `leave_requests_unit_status_idx` ON `leave_requests` (`unit_id`,`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `leave_requests_class_status_idx` ON `leave_requests` (`class_id`,`status`,`first_date`);--> statement-breakpoint
CREATE INDEX `leave_requests_status_last_date_idx` ON `leave_requests` (`status`,`last_date`);--> statement-breakpoint
CREATE TABLE `leave_types` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`needs_proof` integer DEFAULT false NOT NULL,
	`planned` integer DEFAULT false NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `line_bindings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`line_user_id` text NOT NULL,
	`role` text NOT NULL,
	`person_id` integer NOT NULL,
	`bound_at` integer NOT NULL,
	FOREIGN KEY (`line_user_id`) REFERENCES `line_users`(`user_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `line_bindings_user_role_uq` ON `line_bindings` (`line_user_id`,`role`);--> statement-breakpoint
CREATE UNIQUE INDEX `line_bindings_person_role_uq` ON `line_bindings` (`person_id`,`role`);--> statement-breakpoint
CREATE TABLE `line_users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`followed_at` integer,
	`blocked_at` integer,
	`active_role` text,
	`rich_menu` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `otp_challenges` (
	`id` text PRIMARY KEY NOT NULL,
	`binding_request_id` text NOT NULL,
	`channel` text NOT NULL,
	`destination_hmac` text NOT NULL,
	`destination_masked` text NOT NULL,
	`code_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`verified_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`binding_request_id`) REFERENCES `binding_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `otp_challenges_request_idx` ON `otp_challenges` (`binding_request_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `otp_challenges_destination_idx` ON `otp_challenges` (`destination_hmac`,`created_at`);--> statement-breakpoint
CREATE INDEX `otp_challenges_expiry_idx` ON `otp_challenges` (`expires_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`payload` text NOT NULL,
	`retry_key` text NOT NULL,
	`dedupe_key` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`last_request_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_retry_key_unique` ON `outbox` (`retry_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_key_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`recipient`,`created_at`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`national_id_hmac` text NOT NULL,
	`national_id_masked` text NOT NULL,
	`national_id_kind` text NOT NULL,
	`birth_date` text NOT NULL,
	`phone` text,
	`email` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_national_id_hmac_unique` ON `people` (`national_id_hmac`);--> statement-breakpoint
CREATE INDEX `people_phone_idx` ON `people` (`phone`);--> statement-breakpoint
CREATE INDEX `people_email_idx` ON `people` (`email`);--> statement-breakpoint
CREATE TABLE `plan_leave_types` (
	`plan_id` integer NOT NULL,
	`leave_type_code` text NOT NULL,
	PRIMARY KEY(`plan_id`, `leave_type_code`),
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`leave_type_code`) REFERENCES `leave_types`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`late_grace_minutes` integer DEFAULT 10 NOT NULL,
	`early_leave_grace_minutes` integer DEFAULT 10 NOT NULL,
	`cancel_window_days` integer DEFAULT 7 NOT NULL,
	`revoke_window_days` integer DEFAULT 14 NOT NULL,
	`backdate_limit_days` integer DEFAULT 7 NOT NULL,
	`review_window_days` integer DEFAULT 14 NOT NULL,
	`advance_notice_days` integer DEFAULT 3 NOT NULL,
	`leave_hours_warning_ratio` real DEFAULT 0.1 NOT NULL,
	`check_in_opens_minutes` integer DEFAULT 30 NOT NULL,
	`check_out_closes_minutes` integer DEFAULT 60 NOT NULL,
	`qr_rotation_seconds` integer DEFAULT 15 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "plans_ratio_range" CHECK("plans"."leave_hours_warning_ratio" > 0 AND "plans"."leave_hours_warning_ratio" <= 1),
	CONSTRAINT "plans_qr_rotation_range" CHECK("plans"."qr_rotation_seconds" BETWEEN 5 AND 300)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_code_unique` ON `plans` (`code`);--> statement-breakpoint
CREATE TABLE `punches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`punch_key` text NOT NULL,
	`session_id` integer NOT NULL,
	`person_id` integer,
	`role` text,
	`action` text NOT NULL,
	`method` text NOT NULL,
	`at` integer NOT NULL,
	`accepted` integer NOT NULL,
	`reason` text,
	`by_staff_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `punches_punch_key_unique` ON `punches` (`punch_key`);--> statement-breakpoint
CREATE INDEX `punches_session_idx` ON `punches` (`session_id`,`at`);--> statement-breakpoint
CREATE INDEX `punches_person_idx` ON `punches` (`person_id`,`at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`class_id` integer NOT NULL,
	`date` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`hours` real NOT NULL,
	`subject` text NOT NULL,
	`teacher_person_id` integer,
	`room` text,
	`cancelled_at` integer,
	`cancel_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teacher_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sessions_time_order" CHECK("sessions"."starts_at" < "sessions"."ends_at"),
	CONSTRAINT "sessions_hours_positive" CHECK("sessions"."hours" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_class_start_uq` ON `sessions` (`class_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `sessions_class_date_idx` ON `sessions` (`class_id`,`date`);--> statement-breakpoint
CREATE INDEX `sessions_date_idx` ON `sessions` (`date`,`starts_at`);--> statement-breakpoint
CREATE INDEX `sessions_teacher_date_idx` ON `sessions` (`teacher_person_id`,`date`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_id` integer,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`session_version` integer DEFAULT 1 NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`last_login_at` integer,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "staff_unit_matches_role" CHECK(("staff"."role" = 'agency_admin') = ("staff"."unit_id" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email_unique` ON `staff` (`email`);--> statement-breakpoint
CREATE INDEX `staff_unit_idx` ON `staff` (`unit_id`);--> statement-breakpoint
CREATE TABLE `staff_password_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`staff_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_password_tokens_staff_idx` ON `staff_password_tokens` (`staff_id`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`contact_name` text,
	`contact_phone` text,
	`contact_email` text,
	`address` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_code_unique` ON `units` (`code`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`webhook_event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`line_user_id` text,
	`payload` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_attempt_at` integer,
	`received_at` integer NOT NULL,
	`handled_at` integer
);
--> statement-breakpoint
CREATE INDEX `webhook_events_retry_idx` ON `webhook_events` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_received_idx` ON `webhook_events` (`received_at`);