public import DynamosControl
import Foundation
public import Hummingbird

/// JSON in and out of Hummingbird handlers, with malformed bodies answered as clear 400s.
public enum JSONResponse {
    /// The largest request body read, 4 MiB.
    public static let maximumBodyBytes = 4 << 20

    /// A response with `value` as its JSON body.
    public static func make(_ value: some Encodable, status: Int = 200) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request body decoded as `T`.
    /// - Throws: `ControlError` `.badRequest` naming the field or the syntax error when the body is not valid `T`.
    public static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext
    ) async throws(ControlError) -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            throw ControlError(.badRequest, "the request body could not be read (at most \(maximumBodyBytes) bytes)", cause: error)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw ControlError(.badRequest, "malformed JSON body: \(Self.describe(error))")
        } catch {
            throw ControlError(.badRequest, "malformed JSON body", cause: error)
        }
    }

    /// A one-line account of a decoding error: what and where.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in " + path(context)
            return "the field '\(key.stringValue)' is missing\(parent)"
        case .typeMismatch(let type, let context): return "\(path(context)) should be \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) should be \(type), not null"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
