/// The cells of the policy folders' notebooks: an attribution's Shapley waterfall (`attribute`) and a comparison's
/// headline differences (`compare`).
enum NotebookPolicyCells {
    static let attribution: [Notebook.Cell] = [
        .markdown(
            "waterfall-text",
            """
            ## Each lever's contribution to the effect

            From `attribution.csv`: the difference each KPI shows between the package and its baseline, split among the \
            levers (or groups of levers) by exact Shapley values, so that the contributions add up to the total effect. \
            Largest contribution first; green raises the KPI, red lowers it, blue is the total.
            """),
        .code(
            "attribution-table",
            #"""
            attribution = read("attribution.csv")
            attribution[["kpi", "player", "levers", "contribution", "share_of_effect", "baseline", "package", "total_effect"]]
            """#),
        .code(
            "waterfall",
            #"""
            names = list(dict.fromkeys(attribution.kpi))
            fig, axes = panels(len(names), width=4.8, height=3.6)
            for ax, name in zip(axes, names):
                kpi = attribution[attribution.kpi == name]
                kpi = kpi.iloc[kpi.contribution.abs().to_numpy().argsort()[::-1]]
                variable = kpi.variable.iloc[0]
                factor, unit = scale(variable, change=True)
                level_factor, level_unit = scale(variable)
                steps = kpi.contribution.to_numpy() * factor
                starts = np.concatenate([[0], np.cumsum(steps)[:-1]])
                ax.bar(list(kpi.player), steps, bottom=starts, color=np.where(steps >= 0, "tab:green", "tab:red"))
                ax.bar(["total"], [kpi.total_effect.iloc[0] * factor], color="tab:blue")
                ax.axhline(0, color="black", linewidth=0.8)
                ax.tick_params(axis="x", labelrotation=30, labelsize=8)
                baseline, package = kpi.baseline.iloc[0] * level_factor, kpi.package.iloc[0] * level_factor
                ax.set_title(f"{name}\nbaseline {number(baseline)} → package {number(package)} {level_unit}")
                ax.set_ylabel(f"effect ({unit})")
            fig.suptitle(f"{SCENARIO} against {BASELINE}: each lever's contribution to the effect (exact Shapley values)")
            plt.show()
            """#, tags: ["chart"]),
    ]

    static let comparison: [Notebook.Cell] = [
        .markdown(
            "comparison-text",
            """
            ## Headline differences

            From `comparison.csv`: every value of run A and run B, the difference B − A and the ratio B / A. Europe, \
            all segments: A solid, B dashed.
            """),
        .code(
            "headlines",
            #"""
            comparison = read("comparison.csv")
            europe = comparison[(comparison.region == "ALL") & (comparison.segment == "ALL")]
            HEADLINES = {"share_eu": "EU-origin share", "share_eu_licensed": "EU-licensed share", "share_non_eu": "non-EU share", "market_size": "market size"}
            fig, axes = panels(len(HEADLINES), columns=4, width=3.8)
            for ax, (variable, title) in zip(axes, HEADLINES.items()):
                line = europe[(europe.variable == variable) & europe.group.isna()]
                factor, unit = scale(variable)
                ax.plot(line.time, line.a * factor, color="tab:gray", label="A")
                ax.plot(line.time, line.b * factor, color="tab:blue", linestyle="--", label="B")
                ax.set_title(title)
                year_axis(ax)
                ax.set_ylabel(f"{variable} ({unit})")
                ax.legend(fontsize=8)
            fig.suptitle(f"{SCENARIO}: run A against run B, Europe, all segments")
            plt.show()
            """#, tags: ["chart"]),
        .code(
            "group-differences",
            #"""
            shares = europe[(europe.variable == "share") & europe.group.notna()]
            factor, unit = scale("share", change=True)
            fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
            for group, line in shares.groupby("group", sort=False):
                ax.plot(line.time, line.difference * factor, label=group)
            ax.axhline(0, color="black", linewidth=0.8)
            year_axis(ax)
            ax.set_ylabel(f"share of revenue, B − A ({unit})")
            ax.set_title(f"{SCENARIO}: how each provider group's share moves from A to B, Europe, all segments")
            ax.legend(fontsize=8)
            plt.show()
            """#, tags: ["chart"]),
        .markdown("largest-moves-text", "The ten largest moves in any share, any region, segment or year:"),
        .code(
            "largest-moves",
            #"""
            moves = comparison[comparison.unit == "fraction"].dropna(subset=["difference"])
            moves.loc[moves.difference.abs().sort_values(ascending=False).index].head(10)
            """#),
    ]
}
