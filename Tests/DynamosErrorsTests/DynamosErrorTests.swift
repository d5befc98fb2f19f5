import DynamosErrors
import Testing

/// The shared error shape: descriptions built the same way for every module, and a wrapped error kept whole.
@Suite("Dynamos errors", .timeLimit(.minutes(1)))
struct DynamosErrorTests {
    struct Underneath: Error, CustomStringConvertible {
        let errno: Int32
        var description: String { "errno \(errno)" }
    }

    struct Coded: CodedError, Equatable {
        enum Code: String { case storage, invalidRequest }
        let code: Code
        let message: String
        let cause: ErrorCause?
    }

    struct Plain: DynamosError {
        let message: String
    }

    @Test("the description is code, message and cause; an error without a code or cause says only its message")
    func descriptions() {
        let wrapped = Coded(code: .storage, message: "the job book cannot be opened", cause: ErrorCause(Underneath(errno: 13)))
        #expect(wrapped.description == "storage: the job book cannot be opened: errno 13")
        #expect(wrapped.explanation == "the job book cannot be opened: errno 13")
        #expect(Coded(code: .invalidRequest, message: "no query", cause: nil).description == "invalidRequest: no query")
        #expect(Plain(message: "give both --tls-certificate and --tls-key").description
            == "give both --tls-certificate and --tls-key")
        #expect(Plain(message: "x").cause == nil && Plain(message: "x").codeName == nil)
    }

    @Test("the cause keeps the wrapped error's type and value; equality compares type and description")
    func causeKeepsTheError() {
        let cause = ErrorCause(Underneath(errno: 28))
        #expect(cause.as(Underneath.self)?.errno == 28)
        #expect(cause.as(Coded.self) == nil)
        #expect(cause == ErrorCause(Underneath(errno: 28)))
        #expect(cause != ErrorCause(Underneath(errno: 2)))
        #expect(cause != ErrorCause(Plain(message: "errno 28")), "same text, another type")
        #expect(ErrorCause?(wrapping: nil) == nil)
    }
}
