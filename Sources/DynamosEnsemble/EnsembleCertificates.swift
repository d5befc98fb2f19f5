import Crypto
import DynamosRouteSigning
import Foundation
import SwiftASN1
import X509

/// The certificates of one `dynamos up --tls` run: a certificate authority of the ensemble's own, and a server
/// certificate (P-256, for `localhost` and the listen address) for the broker, the orchestrator and each agent.
///
/// Under `<state>/tls/`: `ca.pem` (what clients trust), and per name `<name>.pem` with `<name>.key` (mode 0600),
/// each handed only to the process that serves it. Made fresh for every run, valid for 30 days.
struct EnsembleCertificates: Sendable {
    /// The certificate authority's certificate, which every client verifies servers against.
    let authority: String
    private let directory: String

    /// A certificate (`.pem`) and its key (`.key`) for one server.
    struct Pair: Sendable {
        let certificate: String
        let key: String
    }

    /// The pair made for `name` (`broker`, `orchestrator` or a party).
    func pair(_ name: String) -> Pair {
        Pair(certificate: "\(directory)/\(name).pem", key: "\(directory)/\(name).key")
    }

    /// Makes the authority and a server certificate for each of `names`, for `host` and `localhost`.
    static func make(names: [String], host: String, in state: String) throws -> EnsembleCertificates {
        let directory = "\(state)/tls"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let now = Date()
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName { CommonName("Dynamos ensemble CA") }
        let authority = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(authorityKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(30 * 86_400),
            issuer: authorityName, subject: authorityName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(authorityKey))
        let authorityPath = "\(directory)/ca.pem"
        try Data(try authority.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: authorityPath))
        var alternativeNames: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
        if let address = IPv4(host), host != "127.0.0.1" {
            alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address))))
        } else if IPv4(host) == nil, host != "localhost" {
            alternativeNames.append(.dnsName(host))
        }
        for name in names {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(30 * 86_400),
                issuer: authorityName, subject: try DistinguishedName { CommonName("Dynamos \(name)") },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    SubjectAlternativeNames(alternativeNames)
                },
                issuerPrivateKey: .init(authorityKey))
            let made = EnsembleCertificates(authority: authorityPath, directory: directory).pair(name)
            try Data(try certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: made.certificate))
            try SecretFile.write(key.pemRepresentation, to: made.key)
        }
        return EnsembleCertificates(authority: authorityPath, directory: directory)
    }

    /// The four bytes of a dotted IPv4 address.
    private static func IPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 && text.split(separator: ".").count == 4 ? parts : nil
    }
}
