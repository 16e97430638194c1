/// The cells of a run folder's notebook (`cloudmarket run`): shares by origin and by group, market size, flow against
/// installed share, targets.
enum NotebookRunCells {
    static func cells(targets: Int) -> [Notebook.Cell] {
        load + sharesByOrigin + sharesByGroup + marketSize + flowShares + targetsTable
            + (targets > 0 ? targetsChart : [.markdown("no-targets", "The scenario sets no targets.")])
    }

    static let load: [Notebook.Cell] = [
        .markdown("load-text", "## The time series\n\n`timeseries.csv` is tidy: one value a row, `ALL` rows are aggregates."),
        .code(
            "load",
            #"""
            series = read("timeseries.csv")
            targets = read("targets.csv")
            REGIONS = ordered(series.region)
            SEGMENTS = ordered(series.segment)
            print(
                f"{len(series)} values of {series.variable.nunique()} variables, {series.time.min():g}–{series.time.max():g}; "
                f"regions {', '.join(REGIONS)}; segments {', '.join(SEGMENTS)}"
            )


            def by_region_and_segment(data, draw, title, ylabel):
                """Small multiples: a row per region, a column per segment (Europe and all segments last), one legend."""
                fig, axes = plt.subplots(
                    len(REGIONS), len(SEGMENTS), figsize=(3.3 * len(SEGMENTS), 2.4 * len(REGIONS) + 1.2),
                    sharex=True, sharey=True, squeeze=False, layout="constrained",
                )
                for row, region in enumerate(REGIONS):
                    for column, segment in enumerate(SEGMENTS):
                        ax = axes[row][column]
                        draw(ax, data[(data.region == region) & (data.segment == segment)])
                        ax.set_title(place(region, segment))
                    axes[row][0].set_ylabel(ylabel)
                for ax in axes[-1]:
                    year_axis(ax)
                fig.suptitle(title)
                handles, labels = axes[-1][-1].get_legend_handles_labels()
                fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 5))
                plt.show()
            """#),
    ]

    static let sharesByOrigin: [Notebook.Cell] = [
        .markdown(
            "shares-by-origin-text",
            """
            ## Market share by provider origin

            Share of revenue held by provider groups of EU origin, EU-licensed origin (European-owned operators of \
            non-EU technology under licence, such as Bleu and S3NS) and non-EU origin.
            """),
        .code(
            "shares-by-origin",
            #"""
            ORIGINS = {"share_eu": ("EU", "tab:blue"), "share_eu_licensed": ("EU-licensed", "tab:green"), "share_non_eu": ("non-EU", "tab:red")}
            factor, unit = scale("share_eu")


            def draw_origins(ax, panel):
                for variable, (label, color) in ORIGINS.items():
                    line = panel[panel.variable == variable]
                    ax.plot(line.time, line.value * factor, label=label, color=color)


            by_region_and_segment(series, draw_origins, f"{SCENARIO}: market share by provider origin", f"share of revenue ({unit})")
            """#, tags: ["chart"]),
    ]

    static let sharesByGroup: [Notebook.Cell] = [
        .markdown("shares-by-group-text", "## Market share by provider group"),
        .code(
            "shares-by-group",
            #"""
            shares = series[(series.variable == "share") & series.group.notna()]
            factor, unit = scale("share")


            def draw_groups(ax, panel):
                for group, line in panel.groupby("group", sort=False):
                    ax.plot(line.time, line.value * factor, label=group)


            by_region_and_segment(shares, draw_groups, f"{SCENARIO}: market share by provider group", f"share of revenue ({unit})")
            """#, tags: ["chart"]),
    ]

    static let marketSize: [Notebook.Cell] = [
        .markdown("market-size-text", "## Market size by segment\n\nStacked: the top of the stack is the whole market."),
        .code(
            "market-size",
            #"""
            size = series[(series.variable == "market_size") & (series.segment != "ALL")]
            factor, unit = scale("market_size")
            fig, axes = plt.subplots(1, len(REGIONS), figsize=(4.4 * len(REGIONS), 3.8), squeeze=False, layout="constrained")
            for ax, region in zip(axes[0], REGIONS):
                table = size[size.region == region].pivot(index="time", columns="segment", values="value")
                table = table[[segment for segment in SEGMENTS if segment in table.columns]] * factor
                ax.stackplot(table.index, table.T.to_numpy(), labels=table.columns)
                ax.set_title(place(region))
                year_axis(ax)
                ax.yaxis.set_major_formatter("{x:,.0f}")
            axes[0][0].set_ylabel(f"market size ({unit})")
            fig.suptitle(f"{SCENARIO}: market size by segment (stacked)")
            handles, labels = axes[0][0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
            plt.show()
            """#, tags: ["chart"]),
    ]

    static let flowShares: [Notebook.Cell] = [
        .markdown(
            "flow-shares-text",
            """
            ## New business against the installed base

            The flow share is a group's share of the business contested at that moment (the market's growth plus the \
            installed base re-tendered as it churns); the installed share follows it with a lag, so the gap between the \
            dashed and the solid line shows where the shares are heading.
            """),
        .code(
            "flow-shares",
            #"""
            FLOWS = {"eu": ("EU", "tab:blue"), "non_eu": ("non-EU", "tab:red")}
            factor, unit = scale("share_eu")


            def draw_flows(ax, panel):
                for origin, (label, color) in FLOWS.items():
                    installed = panel[panel.variable == f"share_{origin}"]
                    flow = panel[panel.variable == f"flow_share_{origin}"]
                    ax.plot(installed.time, installed.value * factor, color=color, label=f"{label}: installed share")
                    ax.plot(flow.time, flow.value * factor, color=color, linestyle="--", label=f"{label}: flow (new business) share")


            by_region_and_segment(series, draw_flows, f"{SCENARIO}: flow share against installed share, by origin", f"share ({unit})")
            """#, tags: ["chart"]),
    ]

    static let targetsTable: [Notebook.Cell] = [
        .markdown(
            "targets-text", "## Targets\n\nEach target of the scenario, its value in its year and whether it is met (`targets.csv`)."),
        .code("targets-table", #"targets[["target", "label", "year", "value", "op", "threshold", "met"]]"#),
    ]

    static let targetsChart: [Notebook.Cell] = [
        .code(
            "targets-chart",
            #"""
            met = targets.met.astype(str).str.lower() == "true"
            ratio = targets.value / targets.threshold
            fig, ax = plt.subplots(figsize=(8, 0.5 * len(targets) + 1.8), layout="constrained")
            ax.barh(targets.target, ratio, color=np.where(met, "tab:green", "tab:red"))
            ax.axvline(1, color="black", linewidth=1)
            for y, (value, op, threshold) in enumerate(zip(targets.value, targets.op, targets.threshold)):
                ax.annotate(f" {value:.3g} ({op} {threshold:g})", (np.nan_to_num(value / threshold), y), va="center")
            ax.invert_yaxis()
            ax.set_xlabel("value ÷ threshold (1 = the threshold: at_least targets are met at or above it, at_most at or below)")
            ax.set_title(f"{SCENARIO}: targets (green: met; red: not met)")
            plt.show()
            """#, tags: ["chart"])
    ]
}
