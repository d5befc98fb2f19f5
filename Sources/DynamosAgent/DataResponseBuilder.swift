import Foundation
import DynamosControl
import DynamosMessages

/// Turns a result message into the agent's JSON answer, or its error into a `ControlError` with the right status.
enum DataResponseBuilder {
    /// Error codes of failures on the platform's side rather than in the request (502, not 400).
    static let platformFailures: Set<String> = [
        "handlerFailed", "databaseFailed", "datasetMissing", "datasetMalformed", "invalidConfiguration",
        "unknownService",
    ]

    static func response(
        for result: Dynamos_MicroserviceCommunication, jobId: String, requestId: String, archetype: String,
        mode: String, total: Duration
    ) throws(ControlError) -> DataResponse {
        if result.hasError { throw error(of: result.error) }
        let table: DataTable
        do {
            table = try DataTable(proto: result.data)
        } catch {
            throw ControlError(.serviceFailed, "the result table could not be read", cause: error)
        }
        let rows = (0..<table.rowCount).map { row in table.row(row).map(scalar) }
        let png = result.attachments["graph.png"]
        let svg = result.attachments["graph.svg"]
        let graph = png == nil && svg == nil
            ? nil
            : DataResponse.Graph(
                png: png.map { Data($0).base64EncodedString() }, svg: svg.map { String(decoding: $0, as: UTF8.self) })
        let hops = result.hopTimings.map { timing in
            let cold = timing.coldStartMicros > 0 ? Double(timing.coldStartMicros) / 1000 : nil
            return DataResponse.Hop(
                party: timing.party, service: timing.service,
                queuedMs: max(0, Double(timing.startedUnixMicros - timing.queuedUnixMicros) / 1000),
                processMs: max(0, Double(timing.finishedUnixMicros - timing.startedUnixMicros) / 1000),
                coldStartMs: cold)
        }
        return DataResponse(
            jobId: jobId, requestId: requestId, archetype: archetype, mode: mode,
            result: DataResponse.Result(columns: table.columnNames, rows: rows), graph: graph,
            suppressed: suppressions(in: result), timings: DataResponse.Timings(totalMs: milliseconds(total), hops: hops))
    }

    /// The message's suppressions for the analyst, nil when there were none.
    static func suppressions(in result: Dynamos_MicroserviceCommunication) -> [DataResponse.Suppression]? {
        let entries = result.suppressions.map {
            DataResponse.Suppression(
                party: $0.party, service: $0.service, groups: Int(clamping: $0.groups),
                minimumGroupSize: Int(clamping: $0.minimumGroupSize))
        }
        return entries.isEmpty ? nil : entries
    }

    /// The control error for a chain's error result: its party, service and code, with a status that says
    /// whether the request (400) or the platform (502, 504) is at fault.
    static func error(of failure: Dynamos_ServiceError) -> ControlError {
        let code: ControlError.Code
        if let own = ControlError.Code(rawValue: failure.code) {
            code = own
        } else if failure.code == "partsMissing" {
            code = .timeout
        } else if platformFailures.contains(failure.code) {
            code = .serviceFailed
        } else {
            code = .badRequest
        }
        return ControlError(
            code, failure.message, party: failure.party, service: failure.service, reason: failure.code)
    }

    static func scalar(_ value: CellValue) -> JSONScalar {
        switch value {
        case .integer(let number): .int(number)
        case .real(let number): .double(number)
        case .text(let text): .string(text)
        case .blob(let bytes): .string(Data(bytes).base64EncodedString())
        case .null: .null
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
