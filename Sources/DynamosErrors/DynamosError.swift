/// The shape every Dynamos error shares: a message for people that says what to do, optionally a stable code for
/// programs, and the error underneath kept whole rather than flattened into the message.
///
/// Conforming types get ``description`` (`code: message: cause`) and ``explanation`` (`message: cause`) for free,
/// so each module's error type declares only what is its own: its codes and its fields.
public protocol DynamosError: Error, CustomStringConvertible {
    /// The stable name of the kind of failure (an error's `code`), or nil for an error type with one kind.
    var codeName: String? { get }
    /// What happened and what to do about it.
    var message: String { get }
    /// The error this one reports on (SQLite, the broker, a file, a decoder), when there is one.
    var cause: ErrorCause? { get }
}

extension DynamosError {
    public var codeName: String? { nil }
    public var cause: ErrorCause? { nil }

    /// The message followed by the cause's own description: what a person reads.
    public var explanation: String {
        guard let cause else { return message }
        return message.isEmpty ? cause.description : "\(message): \(cause)"
    }

    public var description: String {
        codeName.map { "\($0): \(explanation)" } ?? explanation
    }
}

/// An error type whose kinds are a `String`-backed code (an enum or a struct of static codes): its code's raw
/// value is its ``DynamosError/codeName``.
public protocol CodedError: DynamosError {
    associatedtype Code: RawRepresentable where Code.RawValue == String
    var code: Code { get }
}

extension CodedError {
    public var codeName: String? { code.rawValue }
}
