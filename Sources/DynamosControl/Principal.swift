/// Who is calling, once a credential was checked: the user agreements name, and what the user may do.
///
/// The orchestrator takes the user of a request from here, never from the request body. A steward admin acts only
/// for its own steward (``steward``); an operator may do everything; an analyst may ask for approval and run its
/// own jobs.
public struct Principal: Sendable, Codable, Equatable, CustomStringConvertible {
    /// What a principal may do.
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Asks for approval and runs data requests of its own jobs.
        case analyst
        /// Reads and changes one steward's agreements, datasets and settings, and scales its pools.
        case stewardAdmin
        /// Changes everything and sees every job and agent.
        case `operator`
    }

    /// How the credential was checked.
    public enum Credential: String, Sendable, Codable {
        case apiKey
        case openIDConnect
        case session
    }

    /// The user name, as agreements name analysts.
    public var name: String
    public var role: Role
    /// The steward a steward admin acts for; nil for other roles.
    public var steward: String?
    public var credential: Credential

    public init(name: String, role: Role, steward: String? = nil, credential: Credential) {
        self.name = name
        self.role = role
        self.steward = role == .stewardAdmin ? steward : nil
        self.credential = credential
    }

    /// Whether this principal may administer `party`: an operator, or that party's steward admin.
    public func administers(_ party: String) -> Bool {
        role == .operator || (role == .stewardAdmin && steward == party)
    }

    public var description: String {
        "\(name) (\(role.rawValue)\(steward.map { " of \($0)" } ?? ""))"
    }
}

extension Principal.Role {
    /// The role as the command line spells it: `analyst`, `steward-admin`, `operator`.
    public init?(flag: String) {
        switch flag.lowercased() {
        case "analyst": self = .analyst
        case "steward-admin", "stewardadmin", "steward_admin": self = .stewardAdmin
        case "operator": self = .operator
        default: return nil
        }
    }
}

/// `POST /api/v1/token`: a short-lived session token for the caller, which agents accept for their operator
/// endpoints (pools, workers) and the orchestrator accepts like the credential it was made from.
public struct SessionToken: Sendable, Codable, Equatable {
    public var token: String
    /// Seconds since the Unix epoch when it expires.
    public var expiresAt: Int
    public var principal: Principal

    public init(token: String, expiresAt: Int, principal: Principal) {
        self.token = token
        self.expiresAt = expiresAt
        self.principal = principal
    }
}
