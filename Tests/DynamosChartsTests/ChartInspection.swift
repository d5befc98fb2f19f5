import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads back what the renderer wrote: PNG header fields and SVG root attributes.
enum ChartInspection {
    /// The width and height from a PNG's IHDR chunk, or nil when the bytes do not start like a PNG.
    static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        func bigEndian(_ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return (bigEndian(16), bigEndian(20))
    }

    /// The attributes of the SVG root element, or nil when the document is not well-formed XML.
    static func svgRootAttributes(_ bytes: [UInt8]) -> [String: String]? {
        final class Delegate: NSObject, XMLParserDelegate {
            var root: [String: String]?
            var rootName: String?
            func parser(
                _ parser: XMLParser,
                didStartElement elementName: String,
                namespaceURI: String?,
                qualifiedName: String?,
                attributes: [String: String]
            ) {
                if rootName == nil {
                    rootName = elementName
                    root = attributes
                }
            }
        }
        let parser = XMLParser(data: Data(bytes))
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse(), delegate.rootName == "svg" else { return nil }
        return delegate.root
    }
}
