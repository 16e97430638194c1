import Foundation
import Testing

/// `cloudmarket notebook` on the folders of run, experiments, attribute and compare: the notebook's structure (executing
/// it is the desk checks' part, Tests/desk/test_notebook.py).
@Suite struct NotebookCommandTests {
    /// The written notebook, parsed.
    func notebook(_ cli: CLI, _ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(try cli.read(path).utf8)) as? [String: Any])
    }

    func cells(_ notebook: [String: Any]) -> [[String: Any]] { notebook["cells"] as? [[String: Any]] ?? [] }

    func source(_ cell: [String: Any]) -> String { (cell["source"] as? [String] ?? []).joined() }

    /// The ids of the cells tagged `chart`.
    func charts(_ notebook: [String: Any]) -> [String] {
        cells(notebook).filter { (($0["metadata"] as? [String: Any])?["tags"] as? [String] ?? []).contains("chart") }
            .compactMap { $0["id"] as? String }
    }

    @Test func runFolderNotebook() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        #expect(try cli.run("run", "small.yaml", "--out", "runs/small", "--quiet").status == 0)
        let result = try cli.run("notebook", "runs/small")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "wrote runs/small/notebook.ipynb: run folder runs/small, 16 cells, 5 charts\n")
        let nb = try notebook(cli, "runs/small/notebook.ipynb")

        // nbformat 4.5: every cell has a unique id; code cells an explicit null execution count and no outputs.
        #expect(nb["nbformat"] as? Int == 4 && nb["nbformat_minor"] as? Int == 5)
        #expect(((nb["metadata"] as? [String: Any])?["kernelspec"] as? [String: Any])?["name"] as? String == "python3")
        let ids = cells(nb).compactMap { $0["id"] as? String }
        #expect(ids.count == cells(nb).count && Set(ids).count == ids.count)
        for cell in cells(nb) where cell["cell_type"] as? String == "code" {
            #expect(cell["execution_count"] is NSNull && (cell["outputs"] as? [Any])?.isEmpty == true)
        }

        // First the manifest: scenario, tool version and commit, command line; the folder, relative to the notebook.
        let first = cells(nb)[0]
        #expect(first["cell_type"] as? String == "markdown")
        let manifest = source(first)
        #expect(manifest.hasPrefix("# small: run folder\n"))
        #expect(manifest.contains("| scenario | small |") && manifest.contains("| tool | cloudmarket 0.1.0 |"))
        #expect(manifest.contains("run small.yaml --out runs/small --quiet`") && !manifest.contains("| seed |"))
        #expect(source(cells(nb)[1]).contains("FOLDER = Path(\".\")\nSCENARIO = \"small\"\n"))
        #expect(charts(nb) == ["shares-by-origin", "shares-by-group", "market-size", "flow-shares", "targets-chart"])

        // A re-run replaces the folder, the notebook and its HTML export with it: their names are the tool's own.
        try cli.write("runs/small/notebook.html", "<html></html>")
        #expect(try cli.run("run", "small.yaml", "--out", "runs/small", "--quiet").status == 0)
        #expect(!cli.exists("runs/small/notebook.ipynb") && !cli.exists("runs/small/notebook.html"))
    }

    /// Anywhere else, the notebook reads the folder by its path relative to the notebook; on stdout, by its absolute path.
    @Test func outAnywhere() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        #expect(try cli.run("run", "small.yaml", "--out", "runs/small", "--quiet").status == 0)
        #expect(try cli.run("notebook", "runs/small", "--out", "notebooks/deep/small.ipynb", "--quiet").status == 0)
        let nb = try notebook(cli, "notebooks/deep/small.ipynb")
        #expect(source(cells(nb)[1]).contains("FOLDER = Path(\"../../runs/small\")"))
        let printed = try cli.run("notebook", "runs/small/", "--out", "-")
        #expect(printed.status == 0 && printed.stderr.isEmpty)
        let absolute = cli.folder.appendingPathComponent("runs/small").standardizedFileURL.path
        #expect(printed.stdout.contains("\"FOLDER = Path(\\\"\(absolute)\\\")\\n\""), "\(printed.stdout.prefix(2000))")
        // The default name is the one written into the folder.
        #expect(try cli.run("notebook", "runs/small", "--quiet").status == 0)
        #expect(try cli.read("runs/small/notebook.ipynb") == printed.stdout.replacingOccurrences(of: absolute, with: "."))
    }

    @Test func experimentAndPolicyFolders() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let vary = ["--vary", "model.network_effect=0:0.8", "--vary", "classes.public.churn=0.05:0.2", "--quiet", "--seed", "7"]
        let experiments: [([String], [String])] = [
            (["sweep", "small.yaml", "--runs", "20", "--out", "sweep"], ["distributions", "against-parameters"]),
            (
                ["montecarlo", "small.yaml", "--uncertain", "model.network_effect=uniform(0,0.8)", "--runs", "20", "--out", "mc"],
                ["fan-chart", "distributions"]
            ),
            (["sensitivity", "small.yaml", "--base", "16", "--resamples", "20", "--out", "sobol"], ["sobol"]),
            (["sensitivity", "small.yaml", "--method", "morris", "--trajectories", "4", "--out", "morris"], ["morris"]),
        ]
        for (arguments, expected) in experiments {
            let folder = arguments[arguments.firstIndex(of: "--out")! + 1]
            let extra = arguments[0] == "montecarlo" ? ["--quiet", "--seed", "7"] : vary
            let run = try cli.run(arguments: arguments + extra)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try cli.run("notebook", folder, "--quiet").status == 0)
            let nb = try notebook(cli, "\(folder)/notebook.ipynb")
            #expect(charts(nb) == expected, "\(folder)")
            #expect(source(cells(nb)[0]).contains("| seed | 7 |"), "\(folder)")
        }

        #expect(try cli.run("run", "small.yaml", "--out", "a", "--quiet").status == 0)
        #expect(try cli.run("run", "small.yaml", "--out", "b", "--quiet", "--set", "levers.cloud_au_centre.level=0.2").status == 0)
        #expect(try cli.run("compare", "a", "b", "--out", "ab", "--quiet").status == 0)
        #expect(try cli.run("notebook", "ab", "--quiet").status == 0)
        let comparison = try notebook(cli, "ab/notebook.ipynb")
        #expect(charts(comparison) == ["headlines", "group-differences"])
        #expect(source(cells(comparison)[0]).contains("| scenario | small vs small |"))
        #expect(source(cells(comparison)[0]).contains("compare a b --out ab --quiet"))

        try cli.write("package.yaml", "extends: small.yaml\nname: package\nremove: [surge]\n")
        let attribute = try cli.run("attribute", "package.yaml", "--out", "attribution", "--quiet", "--kpi", "share_eu@2030")
        #expect(attribute.status == 0, "\(attribute.stderr)")
        #expect(try cli.run("notebook", "attribution", "--quiet").status == 0)
        let attribution = try notebook(cli, "attribution/notebook.ipynb")
        #expect(charts(attribution) == ["waterfall"])
        #expect(source(cells(attribution)[0]).hasPrefix("# package: attribution folder"))
        // Without --baseline, the baseline is the file the package extends.
        #expect(source(cells(attribution)[0]).contains("| baseline | small.yaml |"))
        #expect(source(cells(attribution)[1]).contains("SCENARIO = \"package\"\nBASELINE = \"small.yaml\"\n"))
    }

    /// One-screen errors naming the folder and what was expected; nothing written.
    @Test func foldersItCannotChartAreRefused() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("seek"), withIntermediateDirectories: true)
        try cli.write("seek/goalseek.json", "{}")
        let cases: [(String, Int32, String)] = [
            (
                "missing", 65,
                "missing: error: no such folder; expected a folder written by cloudmarket run, sweep, montecarlo, sensitivity, attribute or compare"
            ),
            ("small.yaml", 65, "small.yaml: error: it is a file; expected a folder"),
            (
                "empty", 65,
                "empty: error: not a folder cloudmarket wrote: expected timeseries.csv (run), kpis.csv (sweep, montecarlo, sensitivity)"
            ),
            ("seek", 65, "seek: error: a goalseek folder: notebooks chart the folders of cloudmarket run,"),
        ]
        for (folder, status, message) in cases {
            let result = try cli.run("notebook", folder)
            #expect(result.status == status && result.stderr.hasPrefix(message), "\(folder): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        #expect(!cli.exists("empty/notebook.ipynb") && !cli.exists("seek/notebook.ipynb"))

        #expect(
            try cli.run(
                "sweep", "small.yaml", "--vary", "model.network_effect=0:1", "--runs", "4", "--shard", "1/2", "--out", "shard", "--quiet"
            ).status == 0)
        let shard = try cli.run("notebook", "shard")
        #expect(shard.status == 65 && shard.stderr.contains("unfinished experiment or one shard of it"), "\(shard.stderr)")

        #expect(try cli.run("run", "small.yaml", "--out", "run", "--quiet").status == 0)
        let intoFolder = try cli.run("notebook", "run", "--out", "empty")
        #expect(intoFolder.status == 74 && intoFolder.stderr.contains("cannot write empty: it is a folder"), "\(intoFolder.stderr)")
        try cli.write("run/manifest.json", "{}")
        let garbled = try cli.run("notebook", "run")
        #expect(garbled.status == 65 && garbled.stderr.hasPrefix("run/manifest.json: error: expected the manifest cloudmarket writes"))
    }
}
