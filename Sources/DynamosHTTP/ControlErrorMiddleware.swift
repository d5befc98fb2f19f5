public import DynamosControl
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
            return try JSONResponse.make(error.body, status: error.code.status)
        } catch let error as HTTPError {
            let body = ErrorBody(error: error.status.code == 404 ? "notFound" : "badRequest", detail: error.body ?? "\(error.status)")
            return try JSONResponse.make(body, status: error.status.code)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try JSONResponse.make(ErrorBody(error: "internalError", detail: "\(error)"), status: 500)
        }
    }
}
