import CCairo

extension ChartPainter {
    /// Where a text is placed relative to its anchor point.
    enum Anchor {
        case leading
        case center
        case trailing
    }

    /// Fixes font rendering so layout and bytes do not depend on the surface or on hinting settings.
    func configureFonts() {
        guard let options = cairo_font_options_create() else { return }
        defer { cairo_font_options_destroy(options) }
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(context, options)
    }

    /// Selects the chart font at `size` points.
    func setFont(size: Double, bold: Bool = false) {
        cairo_select_font_face(
            context,
            Self.fontFamily,
            CAIRO_FONT_SLANT_NORMAL,
            bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
        )
        cairo_set_font_size(context, size)
    }

    /// Sets the source colour.
    func setColor(_ color: ChartPalette.Color) {
        cairo_set_source_rgb(context, color.red, color.green, color.blue)
    }

    /// The advance width of `text` in the current font.
    func textWidth(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The ascent of the current font.
    var ascent: Double {
        var extents = cairo_font_extents_t()
        cairo_font_extents(context, &extents)
        return extents.ascent
    }

    /// `text`, shortened with an ellipsis until it is at most `maxWidth` wide in the current font.
    func fitted(_ text: String, maxWidth: Double) -> String {
        guard textWidth(text) > maxWidth else { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            let candidate = String(characters) + "…"
            if textWidth(candidate) <= maxWidth { return candidate }
        }
        return ""
    }

    /// Draws `text` with its baseline at `y`, placed horizontally by `anchor` around `x`.
    func drawText(_ text: String, x: Double, y: Double, anchor: Anchor = .leading) {
        guard !text.isEmpty else { return }
        let width = textWidth(text)
        let start: Double =
            switch anchor {
            case .leading: x
            case .center: x - width / 2
            case .trailing: x - width
            }
        cairo_move_to(context, start, y)
        cairo_show_text(context, text)
        cairo_new_path(context)
    }

    /// Draws `text` rotated by `angle` radians around (`x`, `y`), ending (trailing anchor) or centred there,
    /// vertically centred on the rotated baseline.
    func drawRotatedText(_ text: String, x: Double, y: Double, angle: Double, anchor: Anchor) {
        cairo_save(context)
        cairo_translate(context, x, y)
        cairo_rotate(context, angle)
        drawText(text, x: 0, y: ascent / 2, anchor: anchor)
        cairo_restore(context)
    }
}
