import Crypto
import DynamosMessages
import Foundation

extension Anonymizer {
    /// How many hex digits of the HMAC a hashed value keeps: 16, i.e. 64 bits.
    static let hashHexDigits = 16
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Every non-null value replaced by the text `***`; nulls stay null.
    func redact(_ values: ColumnValues) -> ColumnValues {
        switch values {
        case .null: values
        case .integer(let numbers): .text(numbers.map { $0 == nil ? nil : "***" })
        case .real(let numbers): .text(numbers.map { $0 == nil ? nil : "***" })
        case .text(let texts): .text(texts.map { $0 == nil ? nil : "***" })
        case .blob(let blobs): .text(blobs.map { $0 == nil ? nil : "***" })
        }
    }

    /// Every non-null value replaced by the hex HMAC-SHA256 of its text form (raw bytes for blobs).
    ///
    /// Integers hash their decimal text and reals Swift's shortest round-trip text, so a value keyed as integer in
    /// one table and as text in another still joins. Repeated values in a column are hashed once.
    func hash(_ values: ColumnValues) -> ColumnValues {
        let base = HMAC<SHA256>(key: SymmetricKey(data: maskKey))
        switch values {
        case .null:
            return values
        case .integer(let numbers):
            var cache: [Int64: String] = [:]
            return .text(numbers.map { number in
                number.map { value in
                    if let known = cache[value] { return known }
                    let digest = Self.mac(of: String(value), base)
                    cache[value] = digest
                    return digest
                }
            })
        case .real(let numbers):
            return .text(numbers.map { $0.map { Self.mac(of: $0.description, base) } })
        case .text(let texts):
            var cache: [String: String] = [:]
            return .text(texts.map { text in
                text.map { value in
                    if let known = cache[value] { return known }
                    let digest = Self.mac(of: value, base)
                    cache[value] = digest
                    return digest
                }
            })
        case .blob(let blobs):
            return .text(blobs.map { $0.map { bytes in bytes.withUnsafeBytes { Self.mac(of: $0, base) } } })
        }
    }

    private static func mac(of text: String, _ base: HMAC<SHA256>) -> String {
        var text = text
        return text.withUTF8 { mac(of: UnsafeRawBufferPointer($0), base) }
    }

    private static func mac(of bytes: UnsafeRawBufferPointer, _ base: HMAC<SHA256>) -> String {
        var hmac = base
        hmac.update(data: bytes)
        let code = hmac.finalize()
        return code.withUnsafeBytes { digest in
            String(unsafeUninitializedCapacity: hashHexDigits) { buffer in
                let hex = hexDigits
                for index in 0..<hashHexDigits / 2 {
                    buffer[2 * index] = hex[Int(digest[index] >> 4)]
                    buffer[2 * index + 1] = hex[Int(digest[index] & 0x0F)]
                }
                return hashHexDigits
            }
        }
    }
}
