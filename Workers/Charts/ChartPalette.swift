/// The series colours (Tableau 10) and the neutral colours of a chart, in one place so both outputs match.
enum ChartPalette {
    /// An RGB colour with components in 0...1.
    struct Color: Sendable, Equatable {
        let red: Double
        let green: Double
        let blue: Double

        init(_ hex: UInt32) {
            red = Double((hex >> 16) & 0xFF) / 255
            green = Double((hex >> 8) & 0xFF) / 255
            blue = Double(hex & 0xFF) / 255
        }
    }

    /// The colour of series `index`; colours repeat after ten series.
    static func series(_ index: Int) -> Color {
        seriesColors[index % seriesColors.count]
    }

    private static let seriesColors: [Color] = [
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
    ].map(Color.init)

    /// The page background.
    static let background = Color(0xFFFFFF)
    /// Titles, labels and axes.
    static let text = Color(0x222222)
    /// Tick labels.
    static let mutedText = Color(0x555555)
    /// Grid lines.
    static let grid = Color(0xE0E0E0)
    /// The axis lines.
    static let axis = Color(0x444444)
}
