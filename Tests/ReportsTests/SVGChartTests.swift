import Testing

@testable import Reports

@Suite struct SVGChartTests {
    @Test(arguments: [
        (0.77, [0, 0.2, 0.4, 0.6, 0.8]), (1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]), (487.0, [0, 100, 200, 300, 400, 500]),
        (0.031, [0, 0.01, 0.02, 0.03, 0.04]), (12.0, [0, 5, 10, 15]),
    ])
    func yTicksAreRoundAndCoverTheData(maximum: Double, expected: [Double]) {
        let ticks = SVGChart.niceTicks(upTo: maximum)
        #expect(ticks.count == expected.count)
        for (tick, want) in zip(ticks, expected) { #expect(abs(tick - want) < 1e-12) }
    }

    @Test func yearTicksAreWholeYearsAtMostNine() {
        #expect(SVGChart.yearTicks(from: 2020, to: 2035) == [2020, 2022, 2024, 2026, 2028, 2030, 2032, 2034])
        #expect(SVGChart.yearTicks(from: 2020.5, to: 2025) == [2021, 2022, 2023, 2024, 2025])
        #expect(SVGChart.yearTicks(from: 2000, to: 2050) == [2000, 2010, 2020, 2030, 2040, 2050])
    }

    @Test func stackedAreasTopAtTheTotalAndTextIsEscaped() {
        let chart = SVGChart(
            title: "R&D <high>", subtitle: "", yLabel: "y", times: [0, 1],
            series: [.init(id: "a", label: "A", values: [1, 2]), .init(id: "b", label: "B", values: [1, 1])], style: .stackedAreas)
        let svg = chart.render()
        #expect(svg.contains("R&amp;D &lt;high&gt;"))
        #expect(!svg.contains("<high>"))
        // Total 3 at t = 1 with ticks 0…3 puts the top of b at the plot's top (y = 64).
        #expect(svg.contains(#"data-series="b"><path d="M72.0 "#))
        #expect(svg.contains("L560.0 64.0"))
    }
}
