import DynamosKnowledge
import DynamosRouting

/// The seed configuration of `Deploy/config`, shared by the tests.
enum Fixtures {
    static let user = "jorrit.stutterheim@cloudnation.nl"

    static var configDirectory: String {
        let file = "\(#filePath)"
        let tests = file.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        return tests + "/Deploy/config"
    }

    static func seed() throws -> KnowledgeBase {
        try KnowledgeBase.load(directory: configDirectory)
    }

    static func router() throws -> Router {
        Router(knowledgeBase: try seed())
    }
}
