import DynamosMessages

/// The seam every Dynamos worker service implements: turn one request's table into the result table.
///
/// The runtime (``WorkerRuntime``) does everything around it: consuming, verifying the route, hop timing, handing
/// the result on, error results, dead-lettering, draining. A handler only computes, off the connection thread,
/// and may take as long as it needs. Throw ``WorkerError`` to choose the code the analyst sees; any other error is
/// reported with code ``WorkerError/Code/handlerFailed``.
public protocol ServiceHandler: Sendable {
    /// The service name, as in `dynamos.<party>.<service>` (`query`, `anonymize`, `relay`, ...).
    var service: String { get }

    /// Computes the result of one request.
    /// - Returns: the table the next hop receives as the message's `data`, and any attachments.
    /// - Throws: any error; it becomes an error result sent to the route's result recipient.
    func handle(_ request: WorkerRequest) async throws -> ServiceResult
}
