import Foundation
import GridlinkCore

extension StoreSession {
    private static let actionColumns = """
        id, client_id, user_id, target_id, target_type, kind, state, failure, created_at, updated_at, completed_at, \
        deadline, next_check_at, last_command_at, attempts
        """

    /// Stores a new action.
    public func insertAction(_ action: VendorAction) async throws {
        try await connection.execute(
            """
            INSERT INTO actions (id, client_id, user_id, target_id, target_type, kind, state, failure, created_at, updated_at,
                completed_at, deadline, next_check_at, last_command_at, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, try Self.binds(action))
    }

    /// Writes a changed action; only while it is still pending, so a final state is written exactly once.
    /// Returns false when the action had already left PENDING.
    public func updatePendingAction(_ action: VendorAction) async throws -> Bool {
        let binds = try Self.binds(action)
        return !(try await connection.query(
            """
            UPDATE actions SET state = ?, failure = ?, updated_at = ?, completed_at = ?, next_check_at = ?, last_command_at = ?,
                attempts = ?, claimed_by = NULL, claimed_until = NULL
            WHERE id = ? AND state = 'PENDING' RETURNING id
            """,
            [binds[6], binds[7], binds[9], binds[10], binds[12], binds[13], binds[14], binds[0]]).isEmpty)
    }

    /// The client's action with `id` on a target type, or nil.
    public func action(clientId: String, targetType: VendorType, id: String) async throws -> VendorAction? {
        try await connection.query(
            "SELECT \(Self.actionColumns) FROM actions WHERE client_id = ? AND target_type = ? AND id = ?",
            [.text(clientId), .text(targetType.rawValue), .text(id)]
        ).first.map(Self.decodeAction)
    }

    /// The pending action on a target, if any.
    public func pendingAction(clientId: String, targetId: String) async throws -> VendorAction? {
        try await connection.query(
            "SELECT \(Self.actionColumns) FROM actions WHERE client_id = ? AND target_id = ? AND state = 'PENDING' ORDER BY seq DESC LIMIT 1",
            [.text(clientId), .text(targetId)]
        ).first.map(Self.decodeAction)
    }

    /// Claims up to `limit` pending actions due at `now` for `holder` until `claimUntil` (wall time), skipping live claims.
    public func claimDueActions(holder: String, limit: Int, now: Date, claimUntil: Date, wallNow: Date) async throws -> [VendorAction] {
        try await connection.query(
            """
            UPDATE actions SET claimed_by = ?, claimed_until = ?
            WHERE seq IN (
                SELECT seq FROM actions
                WHERE state = 'PENDING' AND next_check_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
                ORDER BY next_check_at LIMIT ? \(dialect.skipLockedClause)
            )
            RETURNING \(Self.actionColumns)
            """,
            [.text(holder), .date(claimUntil), .date(now), .date(wallNow), .integer(Int64(limit))]
        ).map(Self.decodeAction)
    }

    private static func binds(_ action: VendorAction) throws -> [SQLValue] {
        let encoder = JSONEncoder()
        return [
            .text(action.id), .text(action.clientId), .text(action.userId), .text(action.targetId), .text(action.targetType.rawValue),
            .text(String(decoding: try encoder.encode(action.kind), as: UTF8.self)), .text(action.state.rawValue),
            .text(try action.failure.map { String(decoding: try encoder.encode($0), as: UTF8.self) }),
            .date(action.createdAt), .date(action.updatedAt), .date(action.completedAt), .date(action.deadline),
            .date(action.nextCheckAt), .date(action.lastCommandAt), .integer(Int64(action.attempts)),
        ]
    }

    private static func decodeAction(_ row: SQLRow) throws -> VendorAction {
        let decoder = JSONDecoder()
        return VendorAction(
            id: try row.string("id"), clientId: try row.string("client_id"), userId: try row.string("user_id"),
            targetId: try row.string("target_id"), targetType: VendorType(rawValue: try row.string("target_type")) ?? .vehicle,
            kind: try decoder.decode(ActionKind.self, from: Data(try row.string("kind").utf8)),
            state: ActionState(rawValue: try row.string("state")) ?? .pending,
            failure: try row.optionalString("failure").map { try decoder.decode(ActionFailure.self, from: Data($0.utf8)) },
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), completedAt: try row.optionalDate("completed_at"),
            deadline: try row.date("deadline"), nextCheckAt: try row.date("next_check_at"),
            lastCommandAt: try row.optionalDate("last_command_at"), attempts: Int(try row.int("attempts")))
    }
}
