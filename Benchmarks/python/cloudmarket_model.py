"""A NumPy/SciPy port of cloudmarket's model (DESIGN §1), for a fair speed comparison with the Swift tool.

It reads a *resolved* scenario (`scenario.resolved.yaml`, written by `cloudmarket run`: every default
spelled out, `extends` applied), so it needs no scenario loader of its own. The Swift sources under
`Sources/CloudMarket` are the reference: where DESIGN leaves a detail open, this file does what they do
(on/off switches decided at the midpoint of each integration interval, ramps clamped at 0, the network
term's share over all groups, unavailable groups outside the softmax).

Written as a Python modeller would for SALib or the EMA Workbench: NumPy arrays over the whole
(region, segment, class, group) grid for the right-hand side, `scipy.integrate.solve_ivp` for the
integration, no compiled extensions.
"""

import copy

import numpy as np
import yaml
from scipy.integrate import solve_ivp

ORIGINS = ("eu", "eu_licensed", "non_eu")

# GSL steppers named in scenario files, and the SciPy method of the same family and order.
SOLVER_METHODS = {"rkf45": "RK45", "rkck": "RK45", "rk8pd": "DOP853", "msbdf": "BDF"}


def load_scenario(path):
    """The resolved scenario as plain dicts and lists, as `yaml.safe_load` gives it."""
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def with_overrides(scenario, values):
    """A copy of `scenario` with each dotted parameter path (`classes.public.churn`,
    `levers.<id>.level`) set to its value: the same paths as the tool's `--set` and `--vary`."""
    out = copy.deepcopy(scenario)
    for path, value in values.items():
        keys = path.split(".")
        node = out
        if keys[0] == "levers":
            node = next(lever for lever in out["levers"] if lever["id"] == keys[1])
            keys = keys[2:]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = float(value)
    return out


class Parameters:
    """Every quantity that time or levers change (DESIGN §1.3), at one moment."""

    FIELDS = ("mandate", "sensitive", "churn", "wa", "ws", "qualified", "investment", "available",
              "bonus", "growth", "price", "appeal", "bass_p", "bass_q")

    def __init__(self, **arrays):
        for name in self.FIELDS:
            setattr(self, name, arrays[name])

    def copy(self):
        return Parameters(**{name: getattr(self, name).copy() for name in self.FIELDS})


class Lever:
    """One lever with its filters turned into NumPy index tuples over the arrays it changes."""

    def __init__(self, spec, dims):
        self.kind = spec["type"]
        self.spec = spec
        self.start = spec["start"]
        self.ramp = spec.get("ramp", 0.0)
        self.end = spec.get("end")
        regions, segments, classes, groups = (dims.match(spec, name) for name in ("regions", "segments", "classes", "groups"))
        if self.kind in ("mandate", "sensitive_scope", "portability", "trust_shock"):
            self.cells = np.ix_(regions, classes)
        elif self.kind == "procurement":
            self.cells = np.ix_(regions, classes, groups)
        elif self.kind == "demand":
            self.cells = np.ix_(regions, segments)
        elif self.kind in ("price", "appeal"):
            self.cells = np.ix_(groups, segments)
        elif self.kind == "adoption":
            self.cells = regions
        else:  # qualification, funding
            self.cells = groups
        if self.kind == "funding":
            split = spec.get("split")
            raw = np.array([split.get(dims.groups[g], 0.0) if split else 1.0 for g in groups])
            keep = raw > 0
            self.funded = groups[keep]
            self.rate = spec["amount"] * (1 + spec.get("leverage", 0.0)) * raw[keep] / raw.sum() / spec["years"]

    @property
    def breakpoints(self):
        """Moments where the lever switches on, stops ramping, or switches off: the integrator restarts there."""
        if self.kind == "funding":
            return [self.start, self.start + self.spec["years"]]
        if self.kind == "trust_shock":
            return [self.start]
        return [self.start, self.start + self.ramp] + ([self.end] if self.end is not None else [])

    def rho(self, t, regime):
        """ρ(t); on/off decided at `regime` so a step at an interval's end does not leak into it."""
        if regime < self.start or (self.end is not None and regime >= self.end):
            return 0.0
        return min(1.0, max(0.0, (t - self.start) / self.ramp)) if self.ramp > 0 else 1.0

    def apply(self, p, t, regime):
        """Changes `p` in place as DESIGN §1.3's table says."""
        s = self.spec
        if self.kind == "funding":
            if self.start <= regime < self.start + s["years"]:
                p.investment[self.funded] += self.rate
            return
        if self.kind == "trust_shock":
            if regime >= self.start:
                factor = 1 + s["magnitude"] * 2.0 ** (-(t - self.start) / s["half_life"])
                p.wa[self.cells] *= factor
                p.ws[self.cells] *= factor
            return
        rho = self.rho(t, regime)
        if rho <= 0:
            return
        c = self.cells
        if self.kind == "mandate":
            p.mandate[c] += (s["level"] - p.mandate[c]) * rho
        elif self.kind == "qualification":
            p.qualified[c] += (s["level"] - p.qualified[c]) * rho
        elif self.kind == "sensitive_scope":
            p.sensitive[c] += (s["level"] - p.sensitive[c]) * rho
        elif self.kind == "portability":
            p.churn[c] *= 1 + (s["churn_multiplier"] - 1) * rho
        elif self.kind == "procurement":
            p.bonus[c] += s["bonus"] * rho
        elif self.kind == "demand":
            p.growth[c] += s["extra_growth"] * rho
        elif self.kind == "price":
            p.price[c] *= 1 + (s["factor"] - 1) * rho
        elif self.kind == "appeal":
            p.appeal[c] += s["delta"] * rho
        elif self.kind == "adoption":
            p.bass_p[c] *= 1 + (s["p_factor"] - 1) * rho
            p.bass_q[c] *= 1 + (s["q_factor"] - 1) * rho
        else:
            raise ValueError(f"unknown lever type {self.kind!r}")


class Dimensions:
    """The ids along each axis, in file order, and the indices a lever's filters select."""

    def __init__(self, scenario):
        self.regions = list(scenario["regions"])
        self.segments = list(scenario["segments"])
        self.classes = list(scenario["classes"])
        self.groups = list(scenario["groups"])
        self.origins = [scenario["groups"][g]["origin"] for g in self.groups]

    def match(self, spec, axis):
        """Indices along `axis` that the lever's filter keeps (all when omitted); groups also honour `origins`."""
        ids = getattr(self, axis)
        keep = [spec.get(axis) is None or i in spec[axis] for i in ids]
        if axis == "groups" and spec.get("origins") is not None:
            keep = [k and o in spec["origins"] for k, o in zip(keep, self.origins)]
        return np.flatnonzero(keep)


class Model:
    """One resolved scenario, compiled into arrays for repeated integration (DESIGN §1.2-§1.5)."""

    def __init__(self, scenario):
        d = self.dims = Dimensions(scenario)
        self.shape = (len(d.regions), len(d.segments), len(d.classes), len(d.groups))
        self.revenue_count = int(np.prod(self.shape))
        regions = [scenario["regions"][r] for r in d.regions]
        groups = [scenario["groups"][g] for g in d.groups]
        classes = [scenario["classes"][c] for c in d.classes]
        h = scenario["horizon"]
        self.t0, self.t1 = float(h["start"]), float(h["end"])
        steps = int(h["steps_per_year"])
        self.reporting_times = [self.t0 + k / steps for k in range(int((self.t1 - self.t0) * steps + 1e-9) + 1)]
        self.solver = scenario["solver"]
        m = scenario["model"]
        self.beta, self.theta, self.delta = m["price_sensitivity"], m["capability_elasticity"], m["depreciation"]
        self.eta, self.floor = m["network_effect"], m["share_floor"]
        self._read_markets(regions, d)
        self._read_groups(groups, d)
        self.levers = [Lever(spec, d) for spec in scenario["levers"]]
        n_regions, _, _, n_groups = self.shape
        per_rc = lambda key: np.tile([c[key] for c in classes], (n_regions, 1)).astype(float)
        self.base = Parameters(
            mandate=per_rc("mandate"), sensitive=per_rc("sensitive"), churn=per_rc("churn"),
            wa=per_rc("sovereignty_pref"), ws=per_rc("sensitive_pref"),
            qualified=np.array([g["qualified"] for g in groups], float),
            investment=np.zeros(n_groups), available=np.ones(n_groups, bool),
            bonus=np.zeros((n_regions, len(d.classes), n_groups)), growth=np.zeros(self.shape[:2]),
            price=self.price0, appeal=self.appeal0, bass_p=self.adoption[:, 2].copy(), bass_q=self.adoption[:, 3].copy())

    def _read_markets(self, regions, d):
        """Sizes, growth laws, class mixes, initial shares and Bass blocks, as (r, s[, c | g]) arrays."""
        def law(region, segment):
            growth = region["segments"][segment]["growth"]
            return growth if isinstance(growth, dict) else {"rate": growth}
        per_rs = lambda key: np.array([[law(r, s).get(key, np.nan) for s in d.segments] for r in regions], float)
        self.size = np.array([[r["segments"][s]["size"] for s in d.segments] for r in regions], float)
        self.rate, self.long_run, self.half_life = per_rs("rate"), per_rs("long_run"), per_rs("half_life")
        self.decays = ~np.isnan(self.long_run)
        self.mix = np.array([[r["classes"][c] for c in d.classes] for r in regions], float)
        self.share0 = np.array([[[r["shares"][s][g] for g in d.groups] for s in d.segments] for r in regions], float)
        blocks = [r.get("adoption") for r in regions]
        self.adopting = np.array([b is not None for b in blocks])
        self.adoption = np.array([[b[k] for k in ("initial", "ceiling", "p", "q")] if b else [0, 0, 0, 0] for b in blocks], float)

    def _read_groups(self, groups, d):
        """Origins, sovereignty, appeal and price per (g, s), investment laws and launch dates."""
        per_gs = lambda g, key: [g[key][s] for s in d.segments] if isinstance(g[key], dict) else [g[key]] * len(d.segments)
        self.origin = np.array([ORIGINS.index(g["origin"]) for g in groups])
        self.sovereignty = np.array([g["sovereignty"] for g in groups], float)
        self.appeal0 = np.array([per_gs(g, "appeal") for g in groups], float)
        self.price0 = np.array([per_gs(g, "price") for g in groups], float)
        self.invests = np.array(["investment" in g for g in groups])
        self.inv_level = np.array([g["investment"]["level"] if "investment" in g else 0.0 for g in groups])
        self.inv_growth = np.array([g["investment"]["growth"] if "investment" in g else 0.0 for g in groups])
        self.available_from = np.array([g.get("available_from", -np.inf) for g in groups], float)
        self.k0 = self.inv_level[self.invests] / (self.delta + np.log1p(self.inv_growth[self.invests]))

    # --- parameters in force ------------------------------------------------------------------------------

    def parameters(self, t, regime):
        """The parameters at `t`, levers applied in file order; switches decided at `regime`."""
        p = self.base.copy()
        elapsed = t - self.t0
        decay = np.exp2(-elapsed / np.where(self.decays, self.half_life, 1.0))
        p.growth = np.where(self.decays, self.long_run + (self.rate - self.long_run) * decay, self.rate)
        p.investment = np.where(self.invests, self.inv_level * (1 + self.inv_growth) ** elapsed, 0.0)
        p.available = regime >= self.available_from
        for lever in self.levers:
            lever.apply(p, t, regime)
        return p

    # --- right-hand side ----------------------------------------------------------------------------------

    def split_state(self, y):
        """X[r,s,c,g], K (groups with investment), A (regions with adoption): views into y."""
        n = self.revenue_count
        k = n + len(self.k0)
        return y[:n].reshape(self.shape), y[n:k], y[k:]

    def choice(self, p, X, K):
        """P[r,s,c,g], the logit choice of DESIGN §1.4, for every (r, s, c) cell at once."""
        capability = np.zeros(self.shape[3])
        capability[self.invests] = self.theta * np.log(K / self.k0)
        V = (p.appeal + capability[:, None] - self.beta * np.log(p.price)).T[None, :, :]  # (1, s, g)
        if self.eta != 0:
            totals = X.sum(axis=2)  # (r, s, g)
            market = totals.sum(axis=2, keepdims=True)
            share = np.divide(totals, market, out=np.zeros_like(totals), where=market > 0)
            V = V + self.eta * np.log(np.maximum(share, self.floor))
        U = V[:, :, None, :] + p.bonus[:, None, :, :]  # (r, s, c, g)
        # Groups not yet launched get exp(−inf) = 0: outside the choice set.
        free = np.where(p.available, U + p.wa[:, None, :, None] * self.sovereignty, -np.inf)
        sens = np.where(p.available, U + (p.wa + p.ws)[:, None, :, None] * self.sovereignty, -np.inf)
        e_free = np.exp(free - free.max(axis=3, keepdims=True))
        e_sens = np.exp(sens - sens.max(axis=3, keepdims=True))
        p_free = e_free / e_free.sum(axis=3, keepdims=True)
        p_sens = e_sens / e_sens.sum(axis=3, keepdims=True)
        q_weights = p.qualified * e_sens
        q_sum = q_weights.sum(axis=3, keepdims=True)
        exists = q_sum > 0
        m = p.mandate[:, None, :, None]
        p_qual = np.divide(q_weights, q_sum, out=np.zeros_like(q_weights), where=exists)
        sensitive_pool = np.where(exists, m * p_qual + (1 - m) * p_sens, p_sens)
        sigma = p.sensitive[:, None, :, None]
        return (1 - sigma) * p_free + sigma * sensitive_pool

    def continuous_growth(self, p, t):
        """γ = ln(1 + g) per (r, s); growth at or below −1 stops the run, as in the tool."""
        if np.any(p.growth <= -1):
            raise ValueError(f"growth reached -1 or below at t = {t}")
        return np.log1p(p.growth)

    def rates(self, p, gamma):
        """a = max(γ,0) + χ and b = χ + max(−γ,0), per (r, s, c)."""
        churn = p.churn[:, None, :]
        return np.maximum(gamma, 0)[:, :, None] + churn, churn + np.maximum(-gamma, 0)[:, :, None]

    def derivatives(self, t, y, regime):
        """dX/dt, dK/dt, dA/dt of DESIGN §1.5-§1.6, for `solve_ivp`."""
        p = self.parameters(t, regime)
        X, K, A = self.split_state(y)
        P = self.choice(p, X, K)
        a, b = self.rates(p, self.continuous_growth(p, t))
        M = X.sum(axis=3, keepdims=True)
        dX = a[..., None] * M * P - b[..., None] * X
        dK = p.investment[self.invests] - self.delta * K
        ceiling = self.adoption[self.adopting, 1]
        dA = (p.bass_p[self.adopting] + p.bass_q[self.adopting] * A) * (ceiling - A)
        return np.concatenate((dX.ravel(), dK, dA))

    # --- integration and reports --------------------------------------------------------------------------

    def initial_state(self):
        """X = size·mix·share0, K = I0/(δ + ln(1+ι)), A = initial."""
        X = self.size[:, :, None, None] * self.mix[:, None, :, None] * self.share0[:, :, None, :]
        return np.concatenate((X.ravel(), self.k0, self.adoption[self.adopting, 0]))

    @property
    def breakpoints(self):
        """Every time inside the horizon where a parameter jumps or changes its law."""
        points = [b for lever in self.levers for b in lever.breakpoints]
        points += [float(a) for a in self.available_from if np.isfinite(a)]
        return [b for b in points if self.t0 < b < self.t1]

    def run(self):
        """The reported variables at every reporting time, restarting the solver at each breakpoint as the tool does."""
        if self.solver["method"] not in SOLVER_METHODS:
            raise ValueError(f"solver method {self.solver['method']!r} has no SciPy counterpart here: {sorted(SOLVER_METHODS)}")
        method = SOLVER_METHODS[self.solver["method"]]
        stops = sorted(set(self.reporting_times[1:]) | set(self.breakpoints))
        reports = set(self.reporting_times)
        y, t = self.initial_state(), self.t0
        snapshots = [self.snapshot(t, y)]
        for stop in stops:
            solution = solve_ivp(
                self.derivatives, (t, stop), y, method=method, rtol=self.solver["rel_tol"], atol=self.solver["abs_tol"],
                first_step=min(self.solver["initial_step"], stop - t), args=((t + stop) / 2,))
            if not solution.success or not np.all(np.isfinite(solution.y[:, -1])):
                raise RuntimeError(f"integration failed near t = {solution.t[-1]}: {solution.message}")
            y, t = solution.y[:, -1], stop
            if stop in reports:
                snapshots.append(self.snapshot(t, y))
        return snapshots

    def snapshot(self, t, y):
        """The reported variables of DESIGN §1.6 that the comparison uses, with the parameters in force at t.

        Arrays over (region or ALL, segment or ALL[, group]): the last index of each axis is ALL. Left out:
        `growth`, `sensitive_qualified`, `capability`, `investment`, and the flow shares' fallback to installed
        weights when nothing is contested (churn > 0 in every shipped scenario)."""
        p = self.parameters(t, t)
        X, K, A = self.split_state(y)
        P = self.choice(p, X, K)
        a, _ = self.rates(p, self.continuous_growth(p, t))
        M = X.sum(axis=3)
        revenue = with_totals(X.sum(axis=2))
        market = revenue.sum(axis=2)
        flow = with_totals((a[..., None] * M[..., None] * P).sum(axis=2))
        contested = flow.sum(axis=2)
        out = {"time": t, "revenue": revenue, "market_size": market, "share": revenue / market[..., None]}
        for o, origin in enumerate(ORIGINS):
            out[f"share_{origin}"] = revenue[..., self.origin == o].sum(axis=2) / market
            out[f"flow_share_{origin}"] = flow[..., self.origin == o].sum(axis=2) / contested
        out["knowledge_stock"] = np.full(self.shape[3], np.nan)
        out["knowledge_stock"][self.invests] = K
        out["adoption"] = np.full(self.shape[0], np.nan)
        out["adoption"][self.adopting] = A
        return out


def with_totals(a):
    """`a` over (r, s, …) with an ALL row appended on both of its first two axes."""
    a = np.concatenate((a, a.sum(axis=0, keepdims=True)), axis=0)
    return np.concatenate((a, a.sum(axis=1, keepdims=True)), axis=1)


def run_scenario(scenario, overrides=None):
    """Snapshots of a resolved scenario dict, with optional parameter overrides."""
    return Model(with_overrides(scenario, overrides or {})).run()
