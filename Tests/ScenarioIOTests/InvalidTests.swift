import Foundation
import Testing

@testable import ScenarioIO

/// One way to break the fixture, and what the error must say.
struct Invalid: Sendable, CustomStringConvertible {
    var name: String
    var replacements: [(String, String)]
    /// The parameter path the error names.
    var path: String
    /// Where the error points: the first occurrence of `at` in the edited text, `shift` characters on.
    var at: String
    var shift: Int = 0
    /// A fragment of the message.
    var message: String
    var suggestion: String? = nil

    var description: String { name }

    init(
        _ name: String, _ replacements: [(String, String)], path: String, at: String, shift: Int = 0, message: String,
        suggestion: String? = nil
    ) {
        self.name = name
        self.replacements = replacements
        self.path = path
        self.at = at
        self.shift = shift
        self.message = message
        self.suggestion = suggestion
    }
}

let invalidCases: [Invalid] = [
    // types
    Invalid(
        "plain string for a number", [("appeal: {IaaS: 1.2,", "appeal: {IaaS: high,")], path: "groups.us_hyperscalers.appeal.IaaS",
        at: "high", message: "expected a number, found the string \"high\""),
    Invalid(
        "quoted number", [("price_sensitivity: 1.5", "price_sensitivity: \"1.5\"")], path: "model.price_sensitivity", at: "\"1.5\"",
        message: "expected a number, found the string \"1.5\""),
    Invalid(
        "mapping for a number", [("churn_multiplier: 1.5", "churn_multiplier: {x: 1}")], path: "levers.data_act.churn_multiplier",
        at: "{x: 1}", message: "expected a number ≥ 0, found a mapping"),
    Invalid(
        "list expected", [("segments: [IaaS, PaaS, SaaS]", "segments: IaaS")], path: "segments", at: "IaaS\n",
        message: "expected a non-empty list"),
    Invalid(
        "non-finite", [("IaaS: {size: 2500,", "IaaS: {size: .inf,")], path: "regions.FR.segments.IaaS.size", at: ".inf",
        message: "expected a finite number, found .inf"),
    Invalid("string expected", [("name: fixture", "name: [a, b]")], path: "name", at: "[a, b]", message: "expected a string, found a list"),
    // unknown and missing keys
    Invalid(
        "unknown key, near miss", [("    appeal: 0.5\n", "    apeal: 0.5\n")], path: "groups.fr_providers.apeal", at: "apeal",
        message: "unknown key", suggestion: "appeal"),
    Invalid(
        "unknown top-level key", [("description:", "descripton:")], path: "descripton", at: "descripton", message: "unknown key",
        suggestion: "description"),
    Invalid(
        "unknown key, case", [("  depreciation: 0.2", "  Depreciation: 0.2")], path: "model.Depreciation", at: "Depreciation",
        message: "unknown key", suggestion: "depreciation"),
    Invalid("missing name", [("name: fixture\n", "")], path: "name", at: "description", message: "missing required key 'name'"),
    Invalid(
        "missing horizon", [("horizon: {start: 2020, end: 2030}\n", "")], path: "horizon", at: "name",
        message: "missing required key 'horizon'"),
    Invalid(
        "missing region shares",
        [
            ("      SaaS: {us_hyperscalers: 0.6, fr_providers: 0.1, eu_providers: 0.3, trusted_hybrids: 0}\n", ""),
            ("      PaaS: {us_hyperscalers: 0.8, fr_providers: 0.05, eu_providers: 0.15, trusted_hybrids: 0}\n", ""),
            ("      IaaS: {us_hyperscalers: 0.7, fr_providers: 0.05, eu_providers: 0.25, trusted_hybrids: 0}\n", ""),
            ("    classes: {public: 0.2, large: 0.5, sme: 0.3}\n    shares:\n", "    classes: {public: 0.2, large: 0.5, sme: 0.3}\n"),
        ],
        path: "regions.EU_OTHER.shares", at: "EU_OTHER:", message: "missing required key 'shares'"),
    Invalid(
        "missing group origin", [("    origin: eu_licensed\n", "")], path: "groups.trusted_hybrids.origin", at: "trusted_hybrids:\n",
        message: "missing required key 'origin'"),
    Invalid(
        "missing group appeal", [("    appeal: 0.8\n", "")], path: "groups.trusted_hybrids.appeal", at: "trusted_hybrids:\n",
        message: "missing required key 'appeal'"),
    Invalid(
        "missing class churn", [("mandate: 0, churn: 0.12}", "mandate: 0}")], path: "classes.sme.churn", at: "sme: {",
        message: "missing required key 'churn'"),
    Invalid(
        "missing lever field", [("    ramp: 3\n    level: 0.8\n", "    ramp: 3\n")], path: "levers.secnumcloud.level",
        at: "id: secnumcloud", message: "missing required key 'level'"),
    Invalid(
        "missing lever start", [("    start: 2025.75\n", "")], path: "levers.data_act.start", at: "id: data_act",
        message: "missing required key 'start'"),
    Invalid(
        "missing adoption key", [("p: 0.01, q: 0.35}", "p: 0.01}")], path: "regions.FR.adoption.q", at: "adoption:",
        message: "missing required key 'q'"),
    Invalid(
        "missing growth", [("IaaS: {size: 2500, growth: 0.30}", "IaaS: {size: 2500}")], path: "regions.FR.segments.IaaS.growth",
        at: "IaaS: {size: 2500}", message: "missing required key 'growth'"),
    // ranges
    Invalid(
        "horizon end", [("end: 2030}", "end: 2019}")], path: "horizon.end", at: "2019", message: "expected end > start (2020), found 2019"),
    Invalid(
        "horizon end between reports", [("end: 2030}", "end: 2030.5}")], path: "horizon.end", at: "2030.5",
        message: "expected a reporting time (start + k/steps_per_year), found 2030.5"),
    Invalid(
        "steps_per_year fraction", [("end: 2030}", "end: 2030, steps_per_year: 1.5}")], path: "horizon.steps_per_year", at: "1.5",
        message: "expected a whole number ≥ 1, found 1.5"),
    Invalid(
        "steps_per_year zero", [("end: 2030}", "end: 2030, steps_per_year: 0}")], path: "horizon.steps_per_year", at: "0}",
        message: "expected a whole number ≥ 1, found 0"),
    Invalid(
        "solver method", [("method: rk8pd", "method: rk45")], path: "solver.method", at: "rk45",
        message: "expected one of rk4, rkf45, rkck, rk8pd, msadams, msbdf, found \"rk45\"", suggestion: "rk4"),
    Invalid(
        "solver method case", [("method: rk8pd", "method: RKF45")], path: "solver.method", at: "RKF45", message: "expected one of",
        suggestion: "rkf45"),
    Invalid(
        "solver tolerance", [("abs_tol: 1.0e-10", "abs_tol: 0")], path: "solver.abs_tol", at: "abs_tol: 0", shift: 9,
        message: "expected a number > 0, found 0"),
    Invalid(
        "solver initial step", [("abs_tol: 1.0e-10", "abs_tol: 1.0e-10, initial_step: -1")], path: "solver.initial_step",
        at: "initial_step: -1", shift: 14, message: "expected a number > 0, found -1"),
    Invalid(
        "depreciation", [("depreciation: 0.2", "depreciation: -0.1")], path: "model.depreciation", at: "-0.1",
        message: "expected a number ≥ 0, found -0.1"),
    Invalid(
        "share floor", [("depreciation: 0.2", "depreciation: 0.2\n  share_floor: 1")], path: "model.share_floor", at: "1\n", shift: 0,
        message: "expected a number in (0, 1), exclusive, found 1"),
    Invalid(
        "size", [("SaaS: {size: 6800,", "SaaS: {size: -1,")], path: "regions.FR.segments.SaaS.size", at: "size: -1", shift: 6,
        message: "expected a number ≥ 0, found -1"),
    Invalid(
        "growth rate", [("SaaS: {size: 6800, growth: 0.17}", "SaaS: {size: 6800, growth: -1}")], path: "regions.FR.segments.SaaS.growth",
        at: "-1}", message: "expected a number > −1, found -1"),
    Invalid(
        "long run", [("long_run: 0.10", "long_run: -2")], path: "regions.FR.segments.PaaS.growth.long_run", at: "-2",
        message: "expected a number > −1, found -2"),
    Invalid(
        "half life", [("half_life: 6}", "half_life: 0}")], path: "regions.FR.segments.PaaS.growth.half_life", at: "0}}",
        message: "expected a number > 0, found 0"),
    Invalid(
        "long run without half life", [("long_run: 0.10, half_life: 6}", "long_run: 0.10}")],
        path: "regions.FR.segments.PaaS.growth.long_run", at: "0.10}", message: "long_run and half_life come together: add half_life"),
    Invalid(
        "class mix range", [("classes: {public: 0.3, large: 0.5, sme: 0.2}", "classes: {public: 1.3, large: -0.5, sme: 0.2}")],
        path: "regions.FR.classes.public", at: "1.3", message: "expected a number in [0, 1], found 1.3"),
    Invalid(
        "class mix sum", [("classes: {public: 0.3, large: 0.5, sme: 0.2}", "classes: {public: 0.3, large: 0.5, sme: 0.1}")],
        path: "regions.FR.classes", at: "{public: 0.3", message: "the class mix must sum to 1, found 0.9"),
    Invalid(
        "share range", [("IaaS: {us_hyperscalers: 0.6,", "IaaS: {us_hyperscalers: 1.6,")], path: "regions.FR.shares.IaaS.us_hyperscalers",
        at: "1.6", message: "expected a number in [0, 1], found 1.6"),
    Invalid(
        "share sum", [("PaaS: {us_hyperscalers: 0.7, fr_providers: 0.2,", "PaaS: {us_hyperscalers: 0.7, fr_providers: 0.3,")],
        path: "regions.FR.shares.PaaS", at: "{us_hyperscalers: 0.7, fr_providers: 0.3", message: "the shares must sum to 1, found 1.1"),
    Invalid(
        "sovereignty", [("sovereignty: 0.8", "sovereignty: 1.5")], path: "groups.eu_providers.sovereignty", at: "sovereignty: 1.5",
        shift: 13, message: "expected a number in [0, 1], found 1.5"),
    Invalid(
        "qualified", [("qualified: 0.4", "qualified: -0.4")], path: "groups.fr_providers.qualified", at: "-0.4",
        message: "expected a number in [0, 1], found -0.4"),
    Invalid(
        "sensitive", [("sensitive: 0.35", "sensitive: 2")], path: "classes.public.sensitive", at: "2, sov",
        message: "expected a number in [0, 1], found 2"),
    Invalid(
        "mandate", [("sensitive_pref: 1.0, mandate: 0,", "sensitive_pref: 1.0, mandate: 3,")], path: "classes.large.mandate",
        at: "mandate: 3", shift: 9, message: "expected a number in [0, 1], found 3"),
    Invalid(
        "churn", [("churn: 0.08}", "churn: -0.08}")], path: "classes.large.churn", at: "-0.08",
        message: "expected a number ≥ 0, found -0.08"),
    Invalid(
        "price", [("price: {IaaS: 1.1,", "price: {IaaS: 0,")], path: "groups.eu_providers.price.IaaS", at: "0, PaaS: 1.0",
        message: "expected a number > 0, found 0"),
    Invalid(
        "price one number", [("price: 0.9", "price: -0.9")], path: "groups.us_hyperscalers.price", at: "-0.9",
        message: "expected a number > 0, found -0.9"),
    Invalid(
        "origin", [("origin: non_eu", "origin: non-eu")], path: "groups.us_hyperscalers.origin", at: "non-eu",
        message: "expected one of eu, eu_licensed, non_eu", suggestion: "non_eu"),
    Invalid(
        "investment level", [("level: 300,", "level: 0,")], path: "groups.fr_providers.investment.level", at: "level: 0,", shift: 7,
        message: "expected a number > 0, found 0"),
    Invalid(
        "investment growth", [("level: 300, growth: 0.1}", "level: 300, growth: -1}")], path: "groups.fr_providers.investment.growth",
        at: "-1}", message: "expected a number > −1, found -1"),
    Invalid(
        "investment steady state", [("level: 300, growth: 0.1}", "level: 300, growth: -0.5}")],
        path: "groups.fr_providers.investment.growth", at: "-0.5", message: "expected depreciation + ln(1+growth) > 0"),
    Invalid(
        "adoption order", [("initial: 0.27", "initial: 0.95")], path: "regions.FR.adoption.initial", at: "0.95",
        message: "expected initial ≤ ceiling (0.9), found 0.95"),
    Invalid(
        "adoption ceiling", [("ceiling: 0.9", "ceiling: 1.9")], path: "regions.FR.adoption.ceiling", at: "1.9",
        message: "expected a number in [0, 1], found 1.9"),
    Invalid(
        "adoption p", [("p: 0.01", "p: -0.01")], path: "regions.FR.adoption.p", at: "-0.01", message: "expected a number ≥ 0, found -0.01"),
    // completeness
    Invalid(
        "region misses a segment", [("      SaaS: {size: 50000, growth: 0.15}\n", "")], path: "regions.EU_OTHER.segments.SaaS",
        at: "segments:\n      IaaS: {size: 20000", message: "missing: every region lists every segment"),
    Invalid(
        "region misses a share row",
        [("      SaaS: {us_hyperscalers: 0.6, fr_providers: 0.1, eu_providers: 0.3, trusted_hybrids: 0}\n", "")],
        path: "regions.EU_OTHER.shares.SaaS", at: "shares:\n      IaaS: {us_hyperscalers: 0.7",
        message: "missing: every region lists every segment"),
    Invalid(
        "region unknown segment", [("SaaS: {size: 50000", "Saas: {size: 50000")], path: "regions.EU_OTHER.segments.Saas", at: "Saas",
        message: "unknown segment 'Saas'", suggestion: "SaaS"),
    Invalid(
        "class mix misses a class", [("classes: {public: 0.2, large: 0.5, sme: 0.3}", "classes: {public: 0.5, large: 0.5}")],
        path: "regions.EU_OTHER.classes.sme", at: "classes: {public: 0.5", message: "missing: the class mix lists every class"),
    Invalid(
        "share row misses a group",
        [
            (
                "SaaS: {us_hyperscalers: 0.6, fr_providers: 0.1, eu_providers: 0.3, trusted_hybrids: 0}",
                "SaaS: {us_hyperscalers: 0.6, fr_providers: 0.1, eu_providers: 0.3}"
            )
        ], path: "regions.EU_OTHER.shares.SaaS.trusted_hybrids", at: "SaaS: {us_hyperscalers: 0.6",
        message: "missing: every share row lists every group"),
    Invalid(
        "share row unknown group", [("SaaS: {us_hyperscalers: 0.6, fr_providers: 0.1,", "SaaS: {us_hyperscalers: 0.6, fr_provider: 0.1,")],
        path: "regions.EU_OTHER.shares.SaaS.fr_provider", at: "fr_provider:", message: "unknown group 'fr_provider'",
        suggestion: "fr_providers"),
    Invalid(
        "appeal misses a segment", [("appeal: {IaaS: 1.2, PaaS: 1.5, SaaS: 0.4}", "appeal: {IaaS: 1.2, PaaS: 1.5}")],
        path: "groups.us_hyperscalers.appeal.SaaS", at: "appeal: {IaaS", message: "missing: give every segment"),
    Invalid(
        "available_from with a share",
        [
            (
                "IaaS: {us_hyperscalers: 0.6, fr_providers: 0.3, eu_providers: 0.1, trusted_hybrids: 0}",
                "IaaS: {us_hyperscalers: 0.6, fr_providers: 0.25, eu_providers: 0.1, trusted_hybrids: 0.05}"
            )
        ], path: "regions.FR.shares.IaaS.trusted_hybrids", at: "0.05",
        message: "available only from 2024.5 (available_from), so its initial share must be 0; found 0.05"),
    // levers
    Invalid(
        "duplicate lever id", [("  - id: secnumcloud\n", "  - id: cloud_au_centre\n")], path: "levers.cloud_au_centre.id",
        at: "cloud_au_centre\n    type: qualification", message: "duplicate lever id 'cloud_au_centre'"),
    Invalid(
        "lever type", [("type: sensitive_scope", "type: sensitive_scop")], path: "levers.scope.type", at: "sensitive_scop",
        message: "expected one of mandate, qualification", suggestion: "sensitive_scope"),
    Invalid(
        "lever field of another type", [("    churn_multiplier: 1.5\n", "    churn_multiplier: 1.5\n    factor: 2\n")],
        path: "levers.data_act.factor", at: "factor: 2", message: "unknown key for a portability lever (its fields: churn_multiplier)"),
    Invalid(
        "lever field near miss", [("    extra_growth: 0.05\n", "    extra_grwth: 0.05\n")], path: "levers.ai_boom.extra_grwth",
        at: "extra_grwth", message: "unknown key for a demand lever", suggestion: "extra_growth"),
    Invalid(
        "filter the type does not use",
        [("    regions: [FR]\n    classes: [public]\n", "    regions: [FR]\n    segments: [IaaS]\n    classes: [public]\n")],
        path: "levers.cloud_au_centre.segments", at: "segments: [IaaS]",
        message: "a mandate lever takes no 'segments' filter; it takes: regions, classes"),
    Invalid(
        "empty filter", [("    segments: [PaaS]\n", "    segments: []\n")], path: "levers.ai_boom.segments", at: "[]",
        message: "expected a non-empty list of segment ids"),
    Invalid(
        "unknown filter id", [("    regions: [FR, EU_OTHER]\n", "    regions: [FR, EU_OTHR]\n")], path: "levers.cloud_act_scare.regions[1]",
        at: "EU_OTHR", message: "unknown region 'EU_OTHR'", suggestion: "EU_OTHER"),
    Invalid(
        "unknown filter id, case", [("    groups: [us_hyperscalers]\n", "    groups: [US_Hyperscalers]\n")],
        path: "levers.egress_cut.groups[0]", at: "US_Hyperscalers", message: "unknown group 'US_Hyperscalers'",
        suggestion: "us_hyperscalers"),
    Invalid(
        "unknown origin", [("    classes: [public]\n    origins: [eu]\n", "    classes: [public]\n    origins: [EU]\n")],
        path: "levers.buy_european.origins[0]", at: "[EU]", shift: 1, message: "unknown origin 'EU'", suggestion: "eu"),
    Invalid(
        "unknown class", [("    classes: [public]\n    origins: [eu]\n", "    classes: [pubic]\n    origins: [eu]\n")],
        path: "levers.buy_european.classes[0]", at: "pubic", message: "unknown class 'pubic'", suggestion: "public"),
    Invalid(
        "negative ramp", [("    ramp: 3\n", "    ramp: -3\n")], path: "levers.secnumcloud.ramp", at: "-3",
        message: "expected a number ≥ 0, found -3"),
    Invalid(
        "end before start", [("    end: 2028\n", "    end: 2023\n")], path: "levers.scope.end", at: "end: 2023", shift: 5,
        message: "expected end > start (2023), found 2023"),
    Invalid(
        "ramp on funding", [("    amount: 1800\n", "    amount: 1800\n    ramp: 1\n")], path: "levers.france_2030.ramp", at: "ramp: 1",
        message: "a funding lever takes no 'ramp'"),
    Invalid(
        "end on trust shock", [("    magnitude: 0.5\n", "    magnitude: 0.5\n    end: 2030\n")], path: "levers.cloud_act_scare.end",
        at: "    end: 2030", shift: 4, message: "a trust_shock lever takes no 'end'"),
    Invalid(
        "mandate level", [("    level: 1.0\n", "    level: 1.5\n")], path: "levers.cloud_au_centre.level", at: "level: 1.5", shift: 7,
        message: "expected a number in [0, 1], found 1.5"),
    Invalid(
        "churn multiplier", [("churn_multiplier: 1.5", "churn_multiplier: -1")], path: "levers.data_act.churn_multiplier",
        at: "churn_multiplier: -1", shift: 18, message: "expected a number ≥ 0, found -1"),
    Invalid(
        "price factor", [("factor: 0.9", "factor: 0")], path: "levers.egress_cut.factor", at: "factor: 0", shift: 8,
        message: "expected a number > 0, found 0"),
    Invalid(
        "trust shock half life", [("    half_life: 2\n", "    half_life: 0\n")], path: "levers.cloud_act_scare.half_life",
        at: "half_life: 0", shift: 11, message: "expected a number > 0, found 0"),
    Invalid(
        "funding amount", [("amount: 1800", "amount: -5")], path: "levers.france_2030.amount", at: "-5",
        message: "expected a number ≥ 0, found -5"),
    Invalid(
        "funding years", [("years: 5", "years: 0")], path: "levers.france_2030.years", at: "years: 0", shift: 7,
        message: "expected a number > 0, found 0"),
    Invalid(
        "funding leverage", [("leverage: 0.5", "leverage: -0.5")], path: "levers.france_2030.leverage", at: "-0.5",
        message: "expected a number ≥ 0, found -0.5"),
    Invalid(
        "split unknown group", [("split: {fr_providers: 1}", "split: {fr_provider: 1}")], path: "levers.france_2030.split.fr_provider",
        at: "fr_provider: 1", message: "unknown group 'fr_provider'", suggestion: "fr_providers"),
    Invalid(
        "split group not matched", [("split: {fr_providers: 1}", "split: {fr_providers: 1, eu_providers: 1}")],
        path: "levers.france_2030.split.eu_providers", at: "eu_providers: 1}",
        message: "group 'eu_providers' is not matched by this lever's filters"),
    Invalid(
        "split weights", [("split: {fr_providers: 1}", "split: {fr_providers: 0}")], path: "levers.france_2030.split",
        at: "{fr_providers: 0}", message: "split weights must have a positive sum"),
    Invalid(
        "split negative weight", [("split: {fr_providers: 1}", "split: {fr_providers: -1}")], path: "levers.france_2030.split.fr_providers",
        at: "-1}", message: "expected a number ≥ 0, found -1"),
    Invalid(
        "funding without investment",
        [
            (
                "    groups: [fr_providers]\n    start: 2022\n    amount",
                "    groups: [fr_providers, eu_providers]\n    start: 2022\n    amount"
            ), ("    split: {fr_providers: 1}\n", ""),
        ], path: "levers.france_2030.groups", at: "[fr_providers, eu_providers]",
        message: "a funding lever may only target groups that have an investment baseline; 'eu_providers' has none"),
    Invalid(
        "adoption lever without adoption region",
        [("    regions: [FR]\n    start: 2022\n    ramp: 4\n", "    regions: [EU_OTHER]\n    start: 2022\n    ramp: 4\n")],
        path: "levers.digital_decade.regions", at: "[EU_OTHER]",
        message: "an adoption lever must match at least one region with an adoption block"),
    Invalid(
        "adoption factor", [("q_factor: 1.2", "q_factor: -1.2")], path: "levers.digital_decade.q_factor", at: "-1.2",
        message: "expected a number ≥ 0, found -1.2"),
    // targets
    Invalid(
        "duplicate target id", [("  - id: adoption_goal\n", "  - id: double_french_industry\n")], path: "targets.double_french_industry.id",
        at: "double_french_industry\n    variable: adoption", message: "duplicate target id"),
    Invalid(
        "target variable", [("variable: revenue", "variable: revenu")], path: "targets.double_french_industry.variable", at: "revenu\n",
        message: "expected one of revenue, share", suggestion: "revenue"),
    Invalid(
        "target needs group", [("    group: fr_providers\n    region: FR\n", "    region: FR\n")],
        path: "targets.double_french_industry.group", at: "id: double_french_industry", message: "missing required key 'group'"),
    Invalid(
        "target forbids group", [("    variable: adoption\n", "    variable: adoption\n    group: fr_providers\n")],
        path: "targets.adoption_goal.group", at: "fr_providers\n    region: FR\n    year: 2030",
        message: "variable 'adoption' takes no group"),
    Invalid(
        "target unknown group", [("    group: fr_providers\n    region: FR\n", "    group: fr_provider\n    region: FR\n")],
        path: "targets.double_french_industry.group", at: "fr_provider\n", message: "unknown group 'fr_provider'",
        suggestion: "fr_providers"),
    Invalid(
        "target unknown region", [("    group: fr_providers\n    region: FR\n", "    group: fr_providers\n    region: Fr\n")],
        path: "targets.double_french_industry.region", at: "Fr\n", message: "unknown region 'Fr'", suggestion: "FR"),
    Invalid(
        "target unknown segment", [("    region: FR\n    year: 2025\n", "    region: FR\n    segment: IAAS\n    year: 2025\n")],
        path: "targets.double_french_industry.segment", at: "IAAS", message: "unknown segment 'IAAS'", suggestion: "IaaS"),
    Invalid(
        "per-group target with region", [("    variable: revenue\n", "    variable: capability\n")],
        path: "targets.double_french_industry.region", at: "FR\n    year: 2025",
        message: "variable 'capability' is reported per group and takes no region"),
    Invalid(
        "adoption target without adoption", [("    region: FR\n    year: 2030\n", "    region: EU_OTHER\n    year: 2030\n")],
        path: "targets.adoption_goal.region", at: "EU_OTHER\n    year: 2030", message: "region 'EU_OTHER' has no adoption block"),
    Invalid(
        "adoption target with segment", [("    region: FR\n    year: 2030\n", "    region: FR\n    segment: IaaS\n    year: 2030\n")],
        path: "targets.adoption_goal.segment", at: "IaaS\n    year: 2030", message: "takes no segment"),
    Invalid(
        "growth target needs a segment", [("    variable: adoption\n", "    variable: growth\n")], path: "targets.adoption_goal.segment",
        at: "growth\n", message: "variable 'growth' needs a real segment"),
    Invalid(
        "target year not a reporting time", [("    year: 2025\n", "    year: 2025.5\n")], path: "targets.double_french_industry.year",
        at: "2025.5", message: "expected a reporting time of the horizon (2020 to 2030, every year), found 2025.5"),
    Invalid(
        "target year outside horizon", [("    year: 2030\n", "    year: 2031\n")], path: "targets.adoption_goal.year", at: "2031",
        message: "expected a reporting time of the horizon"),
    Invalid(
        "target relative_to", [("relative_to: 2021", "relative_to: 2019")], path: "targets.double_french_industry.relative_to", at: "2019",
        message: "expected a reporting time of the horizon"),
    Invalid(
        "target with both bounds", [("    at_least: 0.75\n", "    at_least: 0.75\n    at_most: 0.9\n")],
        path: "targets.adoption_goal.at_most", at: "at_most: 0.9", shift: 9, message: "give only one of at_least and at_most"),
    Invalid(
        "target with no bound", [("    at_least: 0.75\n", "")], path: "targets.adoption_goal.at_least", at: "id: adoption_goal",
        message: "a target needs at_least or at_most"),
    Invalid(
        "target unknown key", [("    relative_to: 2021\n", "    relativ_to: 2021\n")], path: "targets.double_french_industry.relativ_to",
        at: "relativ_to", message: "unknown key", suggestion: "relative_to"),
    // syntax
    Invalid(
        "YAML syntax error", [("    classes: {public: 0.3, large: 0.5, sme: 0.2}\n", "    classes: {public: 0.3, large: 0.5, sme: 0.2\n")],
        path: "", at: "    shares:\n      IaaS: {us_hyperscalers: 0.6", shift: 10, message: "invalid YAML"),
    Invalid(
        "duplicate key", [("    qualified: 0.4\n", "    qualified: 0.4\n    qualified: 0.5\n")], path: "groups.fr_providers.qualified",
        at: "qualified: 0.5", message: "duplicate key 'qualified'"),
    Invalid(
        "duplicate key in flow mapping", [("{IaaS: 1.1, PaaS: 1.0, SaaS: 1.2}", "{IaaS: 1.1, PaaS: 1.0, IaaS: 1.2}")],
        path: "groups.eu_providers.price.IaaS", at: "IaaS: 1.2}", message: "duplicate key 'IaaS'"),
]

@Suite struct InvalidTests {
    @Test(arguments: invalidCases)
    func reportsPathLocationAndSuggestion(_ c: Invalid) throws {
        let text = edited(fixture, c.replacements)
        guard let (error, file) = try loadError(text) else {
            Issue.record("\(c.name): the scenario loaded")
            return
        }
        let at = position(of: c.at, in: text, shift: c.shift)
        let head = c.path.isEmpty ? "\(file):\(at): error: " : "\(file):\(at): error: \(c.path): "
        let description = error.description
        #expect(description.contains(head), "\(c.name): expected '\(head)' in\n\(description)")
        #expect(description.contains(c.message), "\(c.name): expected '\(c.message)' in\n\(description)")
        if let suggestion = c.suggestion {
            #expect(description.contains("did you mean '\(suggestion)'?"), "\(c.name): no suggestion in\n\(description)")
        }
        // The excerpt quotes the offending line (cut to a terminal's width).
        let line = Int(at.split(separator: ":")[0])!
        let source = text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        #expect(description.contains(" | " + source.prefix(80)), "\(c.name): no excerpt in\n\(description)")
    }

    /// Scenario comments carry long source notes: the excerpt drops them, keeps quoted '#', and fits a screen.
    @Test func excerptDropsCommentsAndFitsAScreen() throws {
        let note = "# source: " + String(repeating: "a long citation ", count: 12)
        let text = edited(fixture, [("appeal: {IaaS: 1.2,", "appeal: {IaaS: high,")]).replacingOccurrences(
            of: "appeal: {IaaS: high,", with: "name: 'A #1 group', appeal: {IaaS: high,")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.contains("IaaS: high") ? line + "   " + note : String(line)
        }
        let (error, _) = try #require(try loadError(lines.joined(separator: "\n")))
        let description = error.description
        #expect(description.contains("'A #1 group'"))
        #expect(!description.contains("citation"))
        #expect(description.split(separator: "\n").filter { $0.contains(" | ") }.allSatisfy { $0.count <= 110 })
    }

    @Test func messageFormat() throws {
        let text = edited(fixture, [("appeal: {IaaS: 1.2,", "appeal: {IaaS: high,")])
        let (error, file) = try #require(try loadError(text))
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("IaaS: high") }! + 1
        #expect(
            error.description == """
                \(file):\(line):20: error: groups.us_hyperscalers.appeal.IaaS: expected a number, found the string "high"
                   \(line) |     appeal: {IaaS: high, PaaS: 1.5, SaaS: 0.4}
                      |                    ^
                """)
        #expect(error.problems.count == 1)
        let problem = error.problems[0]
        #expect(problem.file == file && problem.line == line && problem.column == 20)
        #expect(problem.path == "groups.us_hyperscalers.appeal.IaaS")
    }

    @Test func manyProblemsAreCut() throws {
        var text = fixture
        for key in ["sensitive: 0.35", "sensitive: 0.2", "sensitive: 0.05"] {
            text = edited(text, [(key, key.replacingOccurrences(of: "sensitive", with: "sensitve"))])
        }
        text = edited(text, [("churn_multiplier: 1.5", "churn_multiplier: x"), ("bonus: 0.5", "bonus: x"), ("delta: 0.2", "delta: x")])
        text = edited(text, [("extra_growth: 0.05", "extra_growth: x"), ("factor: 0.9", "factor: x"), ("amount: 1800", "amount: x")])
        text = edited(
            text,
            [
                ("magnitude: 0.5", "magnitude: x"), ("years: 5", "years: x"),
                ("horizon: {start: 2020, end: 2030}", "horizon: {start: 2020, end: 2030, steps_per_year: x}"),
            ])
        let (error, _) = try #require(try loadError(text))
        // 3 unknown keys (their missing counterparts are not repeated) + 6 type errors + 2 more
        #expect(error.problems.count == 12)
        #expect(error.problems.filter { $0.message.hasPrefix("missing") }.isEmpty)
        #expect(error.description.contains("… and 2 more problems"))
        #expect(error.description.components(separatedBy: ": error: ").count - 1 == 10)
        // In file order.
        let lines = error.problems.compactMap(\.line)
        #expect(lines == lines.sorted())
    }

    @Test func allProblemsAreCollected() throws {
        let text = edited(fixture, [("size: 2500", "size: -2500"), ("churn: 0.08}", "churn: -1}"), ("level: 1.0", "level: 2")])
        let (error, _) = try #require(try loadError(text))
        #expect(error.problems.map(\.path) == ["regions.FR.segments.IaaS.size", "classes.large.churn", "levers.cloud_au_centre.level"])
    }

    @Test func unreadableFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("nope.yaml").path
        do {
            _ = try ScenarioLoader.load(file: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("cannot read scenario file '\(path)': no such file"))
        }
        do {
            _ = try ScenarioLoader.load(file: dir.url.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("it is a directory"))
        }
    }

    @Test func emptyAndNonMappingFiles() throws {
        let (empty, _) = try #require(try loadError(""))
        #expect(empty.description.contains("the file is empty"))
        let (list, file) = try #require(try loadError("- a\n- b\n"))
        #expect(list.description.contains("\(file):1:1: error: expected a scenario"))
    }

    @Test func missingParent() throws {
        let text = "extends: missing.yaml\nname: x\n"
        let (error, file) = try #require(try loadError(text))
        #expect(error.description.contains("\(file):1:10: error: extends: cannot read scenario file"))
        #expect(error.description.contains("missing.yaml': no such file"))
    }

    @Test func extendsCycle() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let a = try dir.write("a.yaml", "extends: b.yaml\nname: a\n")
        let b = try dir.write("b.yaml", "name: b\nextends: a.yaml\n")
        do {
            _ = try ScenarioLoader.load(file: a)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("\(b):2:10: error: extends: extends cycle: "), "\(error.description)")
            #expect(error.description.contains("a.yaml → "))
        }
        let selfish = try dir.write("s.yaml", "extends: ./s.yaml\n")
        do {
            _ = try ScenarioLoader.load(file: selfish)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("extends cycle"))
        }
    }

    @Test func removeUnknownID() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("base.yaml", fixture)
        let child = try dir.write("child.yaml", "extends: base.yaml\nremove: [ux_push, data_akt]\n")
        do {
            _ = try ScenarioLoader.load(file: child)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description.contains("\(child):2:19: error: remove[1]: no lever or target has the id 'data_akt'"),
                "\(error.description)")
            #expect(error.description.contains("did you mean 'data_act'?"))
        }
    }

    @Test func overrideErrorsCombineWithFileErrors() throws {
        let text = edited(fixture, [("churn: 0.08}", "churn: -1}")])
        let (error, file) = try #require(try loadError(text, overrides: ["classes.sme.churn=-2"]))
        #expect(error.problems.count == 2)
        #expect(error.problems[0].location == "--set classes.sme.churn=-2")
        #expect(error.problems[1].file == file)
        #expect(error.description.contains("--set classes.sme.churn=-2: error: classes.sme.churn: expected a number ≥ 0, found -2"))
    }
}
