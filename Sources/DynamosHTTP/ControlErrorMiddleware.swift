import DynamosControl
public import Hummingbird
import Logging

/// Turns a `ControlError` thrown by any route into its JSON body `{"error", "detail", ...}` with the code's status,
/// and any other error into a 500 with the same shape, so clients always get JSON.
public struct ControlErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ControlError {
            context.logger.debug("request refused", metadata: ["error": "\(error)"])
            var response = try JSONResponse.make(error.body, status: error.code.status)
            if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as HTTPError {
            let code: ControlError.Code = switch error.status.code {
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 400..<500: .badRequest
            case 503: .unavailable
            default: .internalError
            }
            let body = ErrorBody(error: code.rawValue, detail: error.body ?? error.status.reasonPhrase)
            return try JSONResponse.make(body, status: error.status.code)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try JSONResponse.make(ErrorBody(error: "internalError", detail: "\(error)"), status: 500)
        }
    }
}
