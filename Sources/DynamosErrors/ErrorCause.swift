/// An error that another one wraps, kept whole: code can still ask what it was (``as(_:)``) and people read its own
/// description, instead of a copy flattened into the wrapper's message.
///
/// Two causes are equal when they are of the same type and describe themselves alike, which is what error
/// comparisons in tests need (`any Error` itself is not `Equatable`).
public struct ErrorCause: Sendable, Equatable, CustomStringConvertible {
    /// The wrapped error.
    public let error: any Error

    public init(_ error: any Error) {
        self.error = error
    }

    /// The wrapped error as `type`, or nil when it is another one.
    public func `as`<Wrapped: Error>(_ type: Wrapped.Type) -> Wrapped? {
        error as? Wrapped
    }

    public var description: String { String(describing: error) }

    public static func == (lhs: ErrorCause, rhs: ErrorCause) -> Bool {
        ObjectIdentifier(type(of: lhs.error)) == ObjectIdentifier(type(of: rhs.error)) && lhs.description == rhs.description
    }
}

extension Optional where Wrapped == ErrorCause {
    /// `error` as a cause, or nil.
    public init(wrapping error: (any Error)?) {
        self = error.map(ErrorCause.init)
    }
}
