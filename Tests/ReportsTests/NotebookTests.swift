import Foundation
import Testing

@testable import Reports

@Suite struct NotebookTests {
    /// Jupyter's layout of a cell's source: one string per line, each but the last ending in a newline.
    @Test func sourceLines() throws {
        let notebook = Notebook(cells: [.code("a", "x = 1\n\nprint(x)", tags: ["chart"]), .markdown("b", "# title\n")])
        let json = try #require(JSONSerialization.jsonObject(with: Data(try notebook.json().utf8)) as? [String: Any])
        let cells = try #require(json["cells"] as? [[String: Any]])
        #expect(cells[0]["source"] as? [String] == ["x = 1\n", "\n", "print(x)"])
        #expect(cells[1]["source"] as? [String] == ["# title\n"])
        #expect((cells[0]["metadata"] as? [String: Any])?["tags"] as? [String] == ["chart"])
        #expect(cells[1]["outputs"] == nil && cells[1]["execution_count"] == nil)
    }

    /// The notebook reads its folder by the path from the notebook's own folder, wherever either is.
    @Test(arguments: [
        ("Outputs/baseline", "Outputs/baseline/notebook.ipynb", "."),
        ("Outputs/baseline", "notebooks-export/baseline.ipynb", "../Outputs/baseline"),
        ("Outputs/baseline/", "baseline.ipynb", "Outputs/baseline"),
        ("/data/runs/a", "/data/notes/deep/a.ipynb", "../../runs/a"),
        ("../runs/a", "../runs/a/sub/a.ipynb", ".."),
    ])
    func reference(folder: String, notebook: String, expected: String) {
        #expect(Notebook.reference(to: folder, from: URL(fileURLWithPath: notebook)) == expected)
    }

    @Test func pythonAndShellQuoting() {
        #expect(NotebookCells.pythonString(#"a "b" \ c/d é"#) == #""a \"b\" \\ c/d é""#)
        #expect(
            NotebookCells.shellWords(["cloudmarket", "montecarlo", "--uncertain", "p=normal(0,1)", "it's"])
                == #"cloudmarket montecarlo --uncertain 'p=normal(0,1)' 'it'\''s'"#)
    }
}
