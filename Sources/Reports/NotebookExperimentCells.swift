/// The cells of an experiment folder's notebook (`sweep`, `montecarlo`, `sensitivity`): KPI distributions, Monte Carlo
/// fan charts, Sobol and Morris indices.
enum NotebookExperimentCells {
    static func cells(_ kind: NotebookSource.Kind) -> [Notebook.Cell] {
        switch kind {
        case .sweep: load + distributions + againstParameters
        case .montecarlo: load + fanChart + distributions
        case .sobol: load + sobol
        case .morris: load + morris
        case .run, .attribution, .comparison: []
        }
    }

    static let load: [Notebook.Cell] = [
        .markdown(
            "load-text",
            "## The runs\n\n`runs.csv` holds one row a run (its status and the parameter values), `kpis.csv` the KPIs, tidy."),
        .code(
            "load",
            #"""
            runs = read("runs.csv")
            kpis = read("kpis.csv")
            FACTORS = list(runs.columns[3:])
            failed = runs[runs.status != "ok"]
            print(f"{len(runs)} runs, {len(failed)} failed; parameters: {', '.join(FACTORS)}")
            # A KPI the parameters do not move differs between runs only by the solver's tolerance: not charted.
            spread = kpis.groupby("kpi", sort=False).value.agg(lambda v: (v.max() - v.min()) / max(abs(v.mean()), 1e-300))
            STEADY = list(spread[spread < 1e-6].index)
            KPIS = [name for name in spread.index if name not in STEADY]
            print(f"KPIs: {', '.join(KPIS)}")
            if STEADY:
                print(f"not charted, the same in every run up to the solver's tolerance: {', '.join(STEADY)}")
            failed.head(10)
            """#),
    ]

    static let distributions: [Notebook.Cell] = [
        .markdown("distributions-text", "## Distribution of each KPI over the runs"),
        .code(
            "distributions",
            #"""
            fig, axes = panels(len(KPIS))
            for ax, name in zip(axes, KPIS):
                kpi = kpis[kpis.kpi == name]
                variable = kpi.variable.iloc[0]
                factor, unit = scale(variable)
                ax.hist(kpi.value * factor, bins=max(5, min(30, len(kpi) // 5)), color="tab:blue", alpha=0.8)
                ax.set_title(name)
                ax.set_xlabel(f"{variable} ({unit})")
                ax.set_ylabel("runs")
            fig.suptitle(f"{SCENARIO}: distribution of each KPI over {len(runs) - len(failed)} runs")
            plt.show()
            """#, tags: ["chart"]),
    ]

    static let againstParameters: [Notebook.Cell] = [
        .markdown("against-parameters-text", "## The last year's KPIs against each varied parameter"),
        .code(
            "against-parameters",
            #"""
            year = kpis.year.max()
            last = kpis[(kpis.year == year) & kpis.kpi.isin(KPIS)].merge(runs[["run", *FACTORS]], on="run")
            names = list(dict.fromkeys(last.kpi))
            fig, axes = plt.subplots(
                len(names), len(FACTORS), figsize=(max(3.8 * len(FACTORS), 7), 2.8 * len(names) + 0.8),
                squeeze=False, layout="constrained",
            )
            for row, name in enumerate(names):
                kpi = last[last.kpi == name]
                factor, unit = scale(kpi.variable.iloc[0])
                for column, parameter in enumerate(FACTORS):
                    ax = axes[row][column]
                    ax.scatter(kpi[parameter], kpi.value * factor, s=8, alpha=0.6)
                    ax.set_xlabel(parameter)
                    ax.set_ylabel(f"{name} ({unit})", fontsize=8)
            fig.suptitle(f"{SCENARIO}: KPIs in {year:g} against each varied parameter, one point a run")
            plt.show()
            """#, tags: ["chart"]),
    ]

    static let fanChart: [Notebook.Cell] = [
        .markdown(
            "fan-chart-text",
            "## Quantile bands\n\nFrom `quantiles.csv`: each KPI's quantiles over the runs, year by year; the median as a line."),
        .code(
            "fan-chart",
            #"""
            quantiles = read("quantiles.csv")
            measures = quantiles.groupby(["variable", "region", "segment", "group"], dropna=False, sort=False)
            fig, axes = panels(measures.ngroups)
            for ax, ((variable, region, segment, group), q) in zip(axes, measures):
                factor, unit = scale(variable)
                table = q.pivot(index="year", columns="quantile", values="value") * factor
                levels = sorted(table.columns)
                for low, high in zip(levels, reversed(levels)):
                    if low >= high:
                        break
                    ax.fill_between(table.index, table[low], table[high], color="tab:blue", alpha=0.2, label=f"{low:.0%}–{high:.0%}")
                if 0.5 in levels:
                    ax.plot(table.index, table[0.5], color="tab:blue", marker="o", label="median")
                ax.set_title(f"{variable}, {place(region, segment)}" + (f", {group}" if isinstance(group, str) else ""))
                year_axis(ax)
                ax.set_ylabel(f"{variable} ({unit})")
                ax.legend(fontsize=8, title="quantiles over the runs", title_fontsize=8)
            fig.suptitle(f"{SCENARIO}: Monte Carlo quantile bands over {q.runs.iloc[0]} runs")
            plt.show()
            """#, tags: ["chart"]),
    ]

    static let sobol: [Notebook.Cell] = [
        .markdown(
            "sobol-text",
            """
            ## Sobol indices

            The first-order index S1 is the share of a KPI's variance due to a parameter alone; the total index ST adds \
            its interactions with the others. The bars are the estimates, the error bars their 95% bootstrap intervals.
            """),
        .code(
            "sobol",
            #"""
            sensitivity = read("sensitivity.csv")
            names = [name for name in dict.fromkeys(sensitivity.kpi) if name in KPIS]
            fig, axes = panels(len(names), width=4.6, height=3.4)
            for ax, name in zip(axes, names):
                kpi = sensitivity[sensitivity.kpi == name]
                x = np.arange(kpi.parameter.nunique())
                for offset, index, color in [(-0.2, "S1", "tab:blue"), (0.2, "ST", "tab:orange")]:
                    rows = kpi[kpi["index"] == index]
                    below = (rows.value - rows.ci_low).clip(lower=0)
                    above = (rows.ci_high - rows.value).clip(lower=0)
                    ax.bar(x + offset, rows.value, 0.4, yerr=[below, above], capsize=3, color=color, label=index)
                ax.set_xticks(x, list(dict.fromkeys(kpi.parameter)), rotation=20, ha="right", fontsize=8)
                ax.axhline(0, color="black", linewidth=0.8)
                ax.set_title(name)
                ax.set_ylabel("index (share of variance)")
                ax.legend(fontsize=8)
            fig.suptitle(f"{SCENARIO}: Sobol indices with 95% bootstrap intervals")
            plt.show()
            """#, tags: ["chart"]),
    ]

    static let morris: [Notebook.Cell] = [
        .markdown(
            "morris-text",
            """
            ## Morris elementary effects

            μ* (the mean absolute elementary effect) ranks the parameters by influence; σ (their spread) is large for \
            parameters that act non-linearly or through interactions. Effects are per unit of each parameter's range.
            """),
        .code(
            "morris",
            #"""
            sensitivity = read("sensitivity.csv")
            names = [name for name in dict.fromkeys(sensitivity.kpi) if name in KPIS]
            fig, axes = panels(len(names), width=4.6, height=3.4)
            for ax, name in zip(axes, names):
                kpi = sensitivity[sensitivity.kpi == name].pivot(index="parameter", columns="index", values="value")
                factor, unit = scale(sensitivity[sensitivity.kpi == name].variable.iloc[0], change=True)
                ax.scatter(kpi.mu_star * factor, kpi.sigma * factor)
                for parameter, row in kpi.iterrows():
                    ax.annotate(parameter, (row.mu_star * factor, row.sigma * factor), fontsize=7)
                ax.set_title(name)
                ax.set_xlabel(f"μ* ({unit})")
                ax.set_ylabel(f"σ ({unit})")
            fig.suptitle(f"{SCENARIO}: Morris screening, μ* against σ")
            plt.show()
            """#, tags: ["chart"]),
    ]
}
