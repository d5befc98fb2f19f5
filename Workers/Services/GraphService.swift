public import DynamosCharts
import DynamosMessages
public import DynamosRuntime

/// The `graph` service: draws the algorithm result as a PNG and an SVG chart, attached to the message as
/// `graph.png` and `graph.svg`; the table itself goes on unchanged.
///
/// Cairo and fontconfig block and are not safe to share across threads, so renders run one at a time on a
/// ``BlockingExecutor`` of their own.
public struct GraphService: ServiceHandler {
    public let service = "graph"
    /// The attachment names the result carries.
    public static let pngAttachment = "graph.png"
    public static let svgAttachment = "graph.svg"

    private let renderer: ChartRenderer
    private let executor = BlockingExecutor(label: "dynamos.graph.cairo")

    public init(renderer: ChartRenderer = ChartRenderer()) {
        self.renderer = renderer
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        let title = Self.title(of: request)
        let table = request.table
        let renderer = self.renderer
        do {
            let chart = try await withTaskExecutorPreference(executor) { () async throws(GraphError) in
                try renderer.render(table, title: title)
            }
            return ServiceResult(
                table: table, attachments: [Self.pngAttachment: chart.png, Self.svgAttachment: chart.svg])
        } catch {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.explanation)
        }
    }

    /// "average Salschal by Geslacht", from the analyst's request when it has one.
    static func title(of request: WorkerRequest) -> String {
        guard let sql = try? request.sqlDataRequest(), !sql.algorithm.isEmpty else { return "Result" }
        let groups = sql.algorithmColumns.keys.filter { !$0.isEmpty }.sorted()
        let values = sql.algorithmColumns.keys.sorted().compactMap { sql.algorithmColumns[$0] }.joined(separator: ", ")
        var title = sql.algorithm + (values.isEmpty ? "" : " of \(values)")
        if !groups.isEmpty { title += " by \(groups.joined(separator: ", "))" }
        return title
    }
}
