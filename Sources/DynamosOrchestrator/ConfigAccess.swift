import DynamosControl
import DynamosKnowledge

/// Who may read and change which part of the config: operators everything; a steward admin its own steward's
/// agreement, datasets and settings; analysts read the catalogue (archetypes, request types, microservices,
/// datasets, stewards) but not the agreements, which name users.
enum ConfigAccess {
    /// The sections whose entries belong to one steward (named like it).
    static let stewardOwned: Set<ConfigSection> = [.policyEnforcer, .datasets, .stewards]

    /// - Throws: `ControlError` `.forbidden` when `principal` may not read `section` (or its `entry`).
    static func checkRead(_ section: ConfigSection, entry: String?, by principal: Principal) throws(ControlError) {
        guard section == .policyEnforcer, principal.role != .operator else { return }
        guard principal.role == .stewardAdmin else {
            throw ControlError(
                .forbidden, "the agreements name users; only operators and steward admins read them (you are \(principal))")
        }
        if let entry, entry != principal.steward {
            throw ControlError(.forbidden, "\(principal) reads only \(principal.steward ?? "its steward")'s agreement, not \(entry)'s")
        }
    }

    /// - Throws: `ControlError` `.forbidden` when `principal` may not change `section` (`entry` nil: the whole
    ///   section) or, with `deleting`, remove the entry.
    static func checkWrite(
        _ section: ConfigSection, entry: String?, deleting: Bool = false, by principal: Principal
    ) throws(ControlError) {
        if principal.role == .operator { return }
        let what = entry.map { "\(section.rawValue)/\($0)" } ?? "all of \(section.rawValue)"
        guard principal.role == .stewardAdmin, let entry, stewardOwned.contains(section), entry == principal.steward,
            !(deleting && section == .stewards)
        else {
            let allowed = principal.role == .stewardAdmin
                ? "a steward admin changes only its own agreement, datasets and settings"
                : "only operators and steward admins change the config"
            throw ControlError(.forbidden, "\(principal) may not change \(what): \(allowed)")
        }
    }

    /// `knowledgeBase` as `principal` may see it: a steward admin sees only its own agreement.
    static func visible(_ knowledgeBase: KnowledgeBase, to principal: Principal) -> KnowledgeBase {
        guard principal.role == .stewardAdmin else { return knowledgeBase }
        var visible = knowledgeBase
        visible.agreements = knowledgeBase.agreements.filter { $0.name == principal.steward }
        return visible
    }
}
