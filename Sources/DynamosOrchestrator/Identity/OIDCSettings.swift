public import DynamosErrors
public import Foundation

/// How the orchestrator accepts OpenID Connect access tokens: whose tokens (issuer), meant for whom (audience),
/// signed with which keys (the issuer's JWKS, a file or a URL), and which claims name the user, role and steward.
///
/// Read from a JSON file (`--oidc FILE`):
/// `{"issuer": "https://login.example.edu", "audience": "dynamos", "jwksURL": "https://login.example.edu/jwks"}`.
public struct OIDCSettings: Sendable, Codable, Equatable {
    public var issuer: String
    public var audience: String
    /// A JWKS file; one of `jwksFile` and `jwksURL` must be set.
    public var jwksFile: String?
    /// Where the issuer publishes its JWKS; fetched at start and again when a token names an unknown key.
    public var jwksURL: String?
    /// The claim holding the user name agreements use; `sub` when the token lacks it. Name a claim the issuer
    /// keeps unique and users cannot change (`sub`, the default, or `eduPersonPrincipalName`): a user who could set
    /// it could pose as another analyst in the agreements.
    public var usernameClaim: String
    /// The claim holding the role (`analyst`, `steward-admin`, `operator`; a string or a list); analyst when absent.
    public var roleClaim: String
    /// The claim naming a steward admin's steward.
    public var stewardClaim: String
    /// Seconds of clock difference tolerated for `exp` and `nbf`.
    public var leewaySeconds: Int
    /// The least time between two fetches of a `jwksURL`, however many tokens name unknown keys.
    public var jwksRefetchSeconds: Int

    public init(
        issuer: String, audience: String, jwksFile: String? = nil, jwksURL: String? = nil,
        usernameClaim: String = "sub", roleClaim: String = "dynamos_role",
        stewardClaim: String = "dynamos_steward", leewaySeconds: Int = 30, jwksRefetchSeconds: Int = 30
    ) {
        self.jwksRefetchSeconds = jwksRefetchSeconds
        self.issuer = issuer
        self.audience = audience
        self.jwksFile = jwksFile
        self.jwksURL = jwksURL
        self.usernameClaim = usernameClaim
        self.roleClaim = roleClaim
        self.stewardClaim = stewardClaim
        self.leewaySeconds = leewaySeconds
    }

    private enum CodingKeys: String, CodingKey {
        case issuer, audience, jwksFile, jwksURL, usernameClaim, roleClaim, stewardClaim, leewaySeconds
        case jwksRefetchSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            issuer: try container.decode(String.self, forKey: .issuer),
            audience: try container.decode(String.self, forKey: .audience),
            jwksFile: try container.decodeIfPresent(String.self, forKey: .jwksFile),
            jwksURL: try container.decodeIfPresent(String.self, forKey: .jwksURL),
            usernameClaim: try container.decodeIfPresent(String.self, forKey: .usernameClaim) ?? "sub",
            roleClaim: try container.decodeIfPresent(String.self, forKey: .roleClaim) ?? "dynamos_role",
            stewardClaim: try container.decodeIfPresent(String.self, forKey: .stewardClaim) ?? "dynamos_steward",
            leewaySeconds: try container.decodeIfPresent(Int.self, forKey: .leewaySeconds) ?? 30,
            jwksRefetchSeconds: try container.decodeIfPresent(Int.self, forKey: .jwksRefetchSeconds) ?? 30)
    }

    /// Reads the settings file.
    public static func load(file: String) throws -> OIDCSettings {
        let settings = try JSONDecoder().decode(OIDCSettings.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        guard (settings.jwksFile == nil) != (settings.jwksURL == nil) else {
            throw OIDCSettingsError("\(file): set exactly one of 'jwksFile' and 'jwksURL'")
        }
        return settings
    }
}

/// The OIDC settings file is unusable; the message says why.
public struct OIDCSettingsError: DynamosError {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
