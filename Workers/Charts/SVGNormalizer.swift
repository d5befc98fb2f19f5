/// Makes Cairo's SVG output deterministic by replacing the page group's process-global id.
///
/// Cairo 1.16 writes the page as `<g id="surfaceN">`, where N is the surface's `unique_id`: a counter shared by
/// every Cairo surface the process ever created (image surfaces included). Two renders of the same chart thus
/// differ only in that number. Nothing references the id (the charts use no surface patterns; glyphs are
/// `glyphF-G` symbols numbered per document), so it is rewritten to the stable `surface1`.
enum SVGNormalizer {
    private static let prefix = Array(#"<g id="surface"#.utf8)
    private static let stableID = Array("1".utf8)

    /// `svg` with every `<g id="surfaceN"` rewritten to `<g id="surface1"`.
    static func normalized(_ svg: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(svg.count)
        var index = 0
        while index < svg.count {
            guard matchesPrefix(svg, at: index) else {
                result.append(svg[index])
                index += 1
                continue
            }
            result.append(contentsOf: prefix)
            index += prefix.count
            let digitsStart = index
            while index < svg.count, svg[index] >= UInt8(ascii: "0"), svg[index] <= UInt8(ascii: "9") {
                index += 1
            }
            if index > digitsStart {
                result.append(contentsOf: stableID)
            }
        }
        return result
    }

    private static func matchesPrefix(_ svg: [UInt8], at index: Int) -> Bool {
        guard svg[index] == prefix[0], index + prefix.count <= svg.count else { return false }
        return svg[index..<index + prefix.count].elementsEqual(prefix)
    }
}
