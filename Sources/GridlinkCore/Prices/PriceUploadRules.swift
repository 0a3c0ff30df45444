import Foundation

/// The bounds an upload of market prices must keep (`PUT /sandbox/prices/{area}` and a fixture's `prices`).
public enum PriceUploadRules {
    /// The most slots one upload may hold.
    public static let maxSlots = 10_000

    /// Refuses (400) more than ``maxSlots`` slots in the array named `field`.
    public static func checkCount(_ count: Int, field: String) throws(Problem) {
        guard count <= maxSlots else { throw .badRequest("\"\(field)\" must have at most \(maxSlots) slots") }
    }

    /// The slot `[start, end)` at `price`, or a 400 naming `field`'s member: `start` and `end` must be given (nil means
    /// malformed) within ``Timestamp/inputRange``, `end` after `start` and at most a day later, `price` finite and below 1,000,000 in size.
    public static func slot(start: Date?, end: Date?, price: Double, field: String) throws(Problem) -> PriceSlot {
        guard let start, Timestamp.inputRange.contains(start) else {
            throw .badRequest("\"\(field).start\" must be an ISO 8601 date-time \(Timestamp.inputRangeText)")
        }
        guard let end, Timestamp.inputRange.contains(end), end > start, end.timeIntervalSince(start) <= 86_400 else {
            throw .badRequest("\"\(field).end\" must be an ISO 8601 date-time \(Timestamp.inputRangeText), after start and at most a day later")
        }
        guard price.isFinite, abs(price) < 1_000_000 else { throw .badRequest("\"\(field).price\" must be a finite number below 1000000 in size") }
        return PriceSlot(start: start, end: end, price: price)
    }
}
