/// One numbered schema change; each statement runs on its own, in order, inside the migration transaction.
struct Migration: Sendable {
    /// Position in the migration history; never reused.
    let version: Int64
    /// Short description kept in the migrations table.
    let name: String
    /// The statements for a dialect.
    let statements: @Sendable (SQLDialect) -> [String]
}

/// Every migration Gridlink has shipped, oldest first.
enum SchemaHistory {
    static let migrations: [Migration] = [foundation, sandbox, linking, actions, webhooks, webhookLog, places, smartCharging, sandboxSharing, energyFlows, clientPrices, linkTokenDigests, standardWebhooks]

    /// Clients, tokens, users, linked vendors, the event outbox and leases.
    static let foundation = Migration(version: 1, name: "foundation") { dialect in
        [
            """
            CREATE TABLE api_clients (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                environment TEXT NOT NULL,
                api_version TEXT NOT NULL,
                secret_salt TEXT NOT NULL,
                secret_digest TEXT NOT NULL,
                previous_salt TEXT,
                previous_digest TEXT,
                previous_expires_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE access_tokens (
                token_digest TEXT PRIMARY KEY,
                client_id TEXT NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
                expires_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX access_tokens_expiry ON access_tokens (expires_at)",
            """
            CREATE TABLE users (
                seq \(dialect.autoIncrementPrimaryKey),
                client_id TEXT NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
                id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (client_id, id)
            )
            """,
            """
            CREATE TABLE user_vendors (
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                vendor TEXT NOT NULL,
                vendor_type TEXT NOT NULL,
                credentials TEXT,
                is_valid BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (client_id, user_id, vendor, vendor_type),
                FOREIGN KEY (client_id, user_id) REFERENCES users (client_id, id) ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE outbox_events (
                seq \(dialect.autoIncrementPrimaryKey),
                client_id TEXT NOT NULL,
                user_id TEXT,
                name TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                claimed_by TEXT,
                claimed_until BIGINT,
                processed_at BIGINT
            )
            """,
            "CREATE INDEX outbox_events_pending ON outbox_events (processed_at, seq)",
            """
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
        ]
    }

    /// The simulated world: one settings row, virtual accounts and devices as JSON documents.
    static let sandbox = Migration(version: 2, name: "sandbox") { _ in
        [
            "CREATE TABLE sandbox_world (id TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at BIGINT NOT NULL)",
            """
            CREATE TABLE sandbox_accounts (
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE sandbox_devices (
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
        ]
    }

    /// Link sessions, the vendor account behind each linked vendor, and users' assets.
    static let linking = Migration(version: 3, name: "linking") { dialect in
        [
            "ALTER TABLE user_vendors ADD COLUMN account_ref TEXT",
            "ALTER TABLE user_vendors ADD COLUMN next_sync_at BIGINT",
            "ALTER TABLE user_vendors ADD COLUMN scopes TEXT",
            "CREATE INDEX user_vendors_sync ON user_vendors (next_sync_at)",
            """
            CREATE TABLE link_sessions (
                token TEXT PRIMARY KEY,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                body TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT,
                created_at BIGINT NOT NULL,
                FOREIGN KEY (client_id, user_id) REFERENCES users (client_id, id) ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE assets (
                seq \(dialect.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                type TEXT NOT NULL,
                vendor TEXT NOT NULL,
                account_ref TEXT NOT NULL,
                device_ref TEXT NOT NULL,
                scopes TEXT NOT NULL,
                location_id TEXT,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (client_id, user_id, device_ref),
                FOREIGN KEY (client_id, user_id) REFERENCES users (client_id, id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX assets_by_type ON assets (client_id, type, seq)",
        ]
    }

    /// Vendor actions, with the claim that keeps each on one executor.
    static let actions = Migration(version: 4, name: "actions") { dialect in
        [
            """
            CREATE TABLE actions (
                seq \(dialect.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                target_id TEXT NOT NULL,
                target_type TEXT NOT NULL,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                failure TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                completed_at BIGINT,
                deadline BIGINT NOT NULL,
                next_check_at BIGINT NOT NULL,
                last_command_at BIGINT,
                attempts BIGINT NOT NULL,
                claimed_by TEXT,
                claimed_until BIGINT
            )
            """,
            "CREATE INDEX actions_due ON actions (state, next_check_at)",
            "CREATE INDEX actions_target ON actions (client_id, target_id, state)",
        ]
    }

    /// Webhook subscriptions and their delivery queue (one row per event and webhook).
    static let webhooks = Migration(version: 5, name: "webhooks") { dialect in
        [
            """
            CREATE TABLE webhooks (
                seq \(dialect.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL,
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                events TEXT NOT NULL,
                api_version TEXT,
                auth_header_name TEXT,
                auth_header_value TEXT,
                is_active BIGINT NOT NULL,
                failing_since BIGINT,
                last_success BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (client_id, url)
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                seq \(dialect.autoIncrementPrimaryKey),
                webhook_id TEXT NOT NULL,
                event_seq BIGINT NOT NULL,
                event_name TEXT NOT NULL,
                payload TEXT NOT NULL,
                event_created_at BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                claimed_by TEXT,
                claimed_until BIGINT
            )
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at, event_seq)",
        ]
    }

    /// The bounded log of delivery attempts, and heartbeat bookkeeping.
    static let webhookLog = Migration(version: 6, name: "webhook-log") { dialect in
        [
            "ALTER TABLE webhooks ADD COLUMN last_heartbeat_at BIGINT",
            """
            CREATE TABLE webhook_attempts (
                seq \(dialect.autoIncrementPrimaryKey),
                webhook_id TEXT NOT NULL,
                delivery_id TEXT NOT NULL,
                attempted_at BIGINT NOT NULL,
                events TEXT NOT NULL,
                status_code BIGINT,
                error TEXT,
                latency_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX webhook_attempts_by_webhook ON webhook_attempts (webhook_id, seq)",
        ]
    }

    /// Locations, tariffs and their weekly intervals, schedules with their last status, and uploaded market prices.
    static let places = Migration(version: 7, name: "locations-tariffs-schedules") { dialect in
        [
            """
            CREATE TABLE locations (
                seq \(dialect.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                FOREIGN KEY (client_id, user_id) REFERENCES users (client_id, id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX locations_by_user ON locations (client_id, user_id, seq)",
            """
            CREATE TABLE tariffs (
                client_id TEXT NOT NULL,
                id TEXT NOT NULL,
                rates TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (client_id, id)
            )
            """,
            """
            CREATE TABLE location_tariffs (
                location_id TEXT PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
                tariff_id TEXT NOT NULL,
                intervals TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE schedules (
                seq \(dialect.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                target_id TEXT NOT NULL,
                target_type TEXT NOT NULL,
                location_id TEXT,
                is_enabled BIGINT NOT NULL,
                body TEXT NOT NULL,
                status TEXT,
                created_at BIGINT NOT NULL,
                FOREIGN KEY (client_id, user_id) REFERENCES users (client_id, id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX schedules_by_user ON schedules (client_id, user_id, seq)",
            "CREATE INDEX schedules_by_target ON schedules (client_id, target_id)",
            """
            CREATE TABLE market_prices (
                area TEXT NOT NULL,
                slot_start BIGINT NOT NULL,
                slot_end BIGINT NOT NULL,
                price TEXT NOT NULL,
                PRIMARY KEY (area, slot_start)
            )
            """,
        ]
    }

    /// Smart charging (per-vehicle controller state, plan history, smart overrides) and the telemetry behind statistics.
    static let smartCharging = Migration(version: 8, name: "smart-charging-telemetry") { dialect in
        [
            """
            CREATE TABLE smart_charging (
                seq \(dialect.autoIncrementPrimaryKey),
                vehicle_id TEXT NOT NULL UNIQUE REFERENCES assets (id) ON DELETE CASCADE,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                record TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE smart_charging_plans (
                seq \(dialect.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                vehicle_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX smart_charging_plans_by_vehicle ON smart_charging_plans (client_id, vehicle_id, seq)",
            """
            CREATE TABLE smart_overrides (
                target_id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                is_active BIGINT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE telemetry (
                asset_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                asset_type TEXT NOT NULL,
                location_id TEXT,
                power_kw DOUBLE PRECISION NOT NULL,
                energy_kwh DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (asset_id, at),
                FOREIGN KEY (client_id, user_id) REFERENCES users (client_id, id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX telemetry_by_user ON telemetry (client_id, user_id, asset_type, at)",
        ]
    }

    /// Several processes on one database: a version on the world row for compare-and-swap saves, and the vendor command log.
    static let sandboxSharing = Migration(version: 9, name: "sandbox-sharing") { dialect in
        [
            "ALTER TABLE sandbox_world ADD COLUMN version BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE sandbox_commands (
                seq \(dialect.autoIncrementPrimaryKey),
                client_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                command TEXT NOT NULL,
                reference TEXT,
                process TEXT NOT NULL,
                outcome TEXT NOT NULL,
                sent_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sandbox_commands_by_client ON sandbox_commands (client_id, seq)",
        ]
    }

    /// Home energy: the opposite counter of batteries (discharged) and meters (exported), and a battery's level, per telemetry sample.
    static let energyFlows = Migration(version: 10, name: "telemetry-energy-flows") { _ in
        [
            "ALTER TABLE telemetry ADD COLUMN reverse_energy_kwh DOUBLE PRECISION",
            "ALTER TABLE telemetry ADD COLUMN level_percent DOUBLE PRECISION",
        ]
    }

    /// Uploaded market prices belong to the client that uploaded them. Rows from before carry no uploader, so they are
    /// dropped rather than shown to every client (each client sees the sandbox market until it uploads again).
    static let clientPrices = Migration(version: 11, name: "client-prices") { _ in
        [
            "DROP TABLE market_prices",
            """
            CREATE TABLE market_prices (
                client_id TEXT NOT NULL,
                area TEXT NOT NULL,
                slot_start BIGINT NOT NULL,
                slot_end BIGINT NOT NULL,
                price TEXT NOT NULL,
                PRIMARY KEY (client_id, area, slot_start)
            )
            """,
        ]
    }

    /// Link sessions keyed by the SHA-256 digest of their token instead of the token, with indexes for the purge.
    ///
    /// SQLite has no SHA-256 in SQL, so existing sessions (plaintext tokens, and possibly a vendor password waiting
    /// for its one-time code) are deleted rather than hashed: their links answer "unknown link" and the app creates
    /// new ones.
    static let linkTokenDigests = Migration(version: 12, name: "link-token-digests") { _ in
        [
            "DELETE FROM link_sessions",
            "ALTER TABLE link_sessions RENAME COLUMN token TO token_digest",
            "CREATE INDEX link_sessions_expiry ON link_sessions (expires_at)",
            "CREATE INDEX link_sessions_used ON link_sessions (used_at)",
        ]
    }

    /// Webhooks that also want the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    static let standardWebhooks = Migration(version: 13, name: "standard-webhooks") { _ in
        ["ALTER TABLE webhooks ADD COLUMN standard_webhooks BIGINT NOT NULL DEFAULT 0"]
    }
}
