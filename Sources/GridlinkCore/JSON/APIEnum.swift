/// A string enum decoded from request bodies with an error that lists the allowed values.
public protocol APIEnum: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension APIEnum {
    /// Decodes the raw value; an unknown value is a `dataCorrupted` error whose description lists the allowed values.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be one of [\(allowed)]; got \"\(raw)\"")
        }
        self = value
    }
}

extension VendorType: APIEnum {}
