import Foundation

/// A time-series chart drawn as a standalone SVG document, with no plotting library: title, axes with units, legend.
///
/// Each series is a `<g class="series" data-series="ID">` holding one path, so a browser test (or a curious analyst)
/// can find it by name.
struct SVGChart {
    enum Style {
        /// One line per series, against a y axis from 0.
        case lines
        /// Series stacked on each other as filled areas; the top edge is their total.
        case stackedAreas
    }

    struct Series {
        let id: String
        let label: String
        let values: [Double]
    }

    let title: String
    let subtitle: String
    let yLabel: String
    let times: [Double]
    let series: [Series]
    let style: Style
    /// The y axis's upper end, when it has a natural one (1 for shares); otherwise the data's, rounded up.
    var yMaximum: Double? = nil
    /// How a y tick is written.
    var yTick: (Double) -> String = { formatTick($0) }

    private static let palette = ["#1f5fa8", "#e08a1e", "#8c8c8c", "#2a9d6f", "#c0392b", "#7b4fa0", "#6b4226"]
    private let width = 760.0
    private let height = 440.0
    private let plot = (left: 72.0, top: 64.0, right: 560.0, bottom: 390.0)

    func render() -> String {
        let top = style == .stackedAreas ? zip(times.indices, times).map { i, _ in series.reduce(0) { $0 + $1.values[i] } } : []
        let dataMaximum = (style == .stackedAreas ? top : series.flatMap(\.values)).max() ?? 1
        let ticks = Self.niceTicks(upTo: yMaximum ?? dataMaximum)
        let yTop = ticks.last ?? 1
        let (t0, t1) = (times.first ?? 0, times.last ?? 1)
        let x = { (t: Double) in plot.left + (t - t0) / max(t1 - t0, 1e-9) * (plot.right - plot.left) }
        let y = { (v: Double) in plot.bottom - v / yTop * (plot.bottom - plot.top) }

        var svg = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">"##,
            "<title>\(escape(title))</title>",
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            ##"<text class="title" x="\##(plot.left)" y="24" font-size="16" font-weight="bold">\##(escape(title))</text>"##,
            ##"<text class="subtitle" x="\##(plot.left)" y="44" fill="#555">\##(escape(subtitle))</text>"##,
        ]
        svg.append(##"<g class="axis y">"##)
        for tick in ticks {
            let ty = Self.coordinate(y(tick))
            svg.append(##"<line x1="\##(plot.left)" x2="\##(plot.right)" y1="\##(ty)" y2="\##(ty)" stroke="#e4e4e4"/>"##)
            svg.append(##"<text x="\##(plot.left - 8)" y="\##(ty)" text-anchor="end" dominant-baseline="middle">\##(yTick(tick))</text>"##)
        }
        let midY = Self.coordinate((plot.top + plot.bottom) / 2)
        svg.append(
            ##"<text class="label" transform="translate(18 \##(midY)) rotate(-90)" text-anchor="middle">\##(escape(yLabel))</text></g>"##)
        svg.append(##"<g class="axis x">"##)
        svg.append(##"<line x1="\##(plot.left)" x2="\##(plot.right)" y1="\##(plot.bottom)" y2="\##(plot.bottom)" stroke="#333"/>"##)
        for year in Self.yearTicks(from: t0, to: t1) {
            let tx = Self.coordinate(x(year))
            svg.append(##"<line x1="\##(tx)" x2="\##(tx)" y1="\##(plot.bottom)" y2="\##(plot.bottom + 5)" stroke="#333"/>"##)
            svg.append(##"<text x="\##(tx)" y="\##(plot.bottom + 20)" text-anchor="middle">\##(Int(year))</text>"##)
        }
        svg.append(
            ##"<text class="label" x="\##((plot.left + plot.right) / 2)" y="\##(height - 12)" text-anchor="middle">Year</text></g>"##)

        var below = times.map { _ in 0.0 }
        for (index, s) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let path: String
            switch style {
            case .lines:
                path =
                    ##"<path d="\##(Self.polyline(zip(times, s.values).map { (x($0), y($1)) }))" fill="none" stroke="\##(color)" stroke-width="2.5"/>"##
            case .stackedAreas:
                let above = zip(below, s.values).map(+)
                let upper = zip(times, above).map { (x($0), y($1)) }
                let lower = zip(times, below).map { (x($0), y($1)) }.reversed()
                path =
                    ##"<path d="\##(Self.polyline(upper + lower))Z" fill="\##(color)" fill-opacity="0.85" stroke="white" stroke-width="0.5"/>"##
                below = above
            }
            svg.append(##"<g class="series" data-series="\##(escape(s.id))">\##(path)</g>"##)
        }

        svg.append(##"<g class="legend">"##)
        // Stacked areas read bottom-up, so their legend lists the top area first.
        let legendOrder = style == .stackedAreas ? Array(series.indices.reversed()) : Array(series.indices)
        for (row, index) in legendOrder.enumerated() {
            let ly = plot.top + 8 + Double(row) * 22
            let color = Self.palette[index % Self.palette.count]
            svg.append(##"<rect x="\##(plot.right + 20)" y="\##(ly - 6)" width="14" height="12" fill="\##(color)"/>"##)
            svg.append(
                ##"<text x="\##(plot.right + 40)" y="\##(ly)" dominant-baseline="middle">\##(escape(series[index].label))</text>"##)
        }
        svg.append("</g>")
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// 0 and four or five round steps (1, 2 or 5 × 10ⁿ) up to at least `maximum`.
    static func niceTicks(upTo maximum: Double) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let raw = maximum / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-12) } ?? 10 * magnitude
        let count = Int((maximum / step - 1e-9).rounded(.up))
        return (0...count).map { Double($0) * step }
    }

    /// Whole years between `t0` and `t1`, every 1, 2 or 5 years so that at most nine are labelled.
    static func yearTicks(from t0: Double, to t1: Double) -> [Double] {
        let step = [1.0, 2, 5, 10, 20, 50].first { (t1 - t0) / $0 <= 8 } ?? 100
        let first = (t0 / step).rounded(.up) * step
        return Array(stride(from: first, through: t1 + 1e-9, by: step))
    }

    static func formatTick(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%g", v)
    }

    private static func coordinate(_ v: Double) -> String { String(format: "%.1f", v) }

    private static func polyline(_ points: some Sequence<(Double, Double)>) -> String {
        points.enumerated().map { i, p in (i == 0 ? "M" : "L") + coordinate(p.0) + " " + coordinate(p.1) }.joined(separator: " ")
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
