"""Readers: every input format, and every kind of bad input, reported without stopping a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.errors import InputProblem
from sanctionwatch.model import Article
from sanctionwatch.sources import ReadOptions, read_inputs

STORY = ("Officials in Seoul said on Monday that a cargo ship carrying coal left the port of "
         "Nampo for Dalian in early March.")


def read(*paths: object, **kw: object) -> list[Article | InputProblem]:
    return list(read_inputs([str(p) for p in paths], ReadOptions(**kw)))  # type: ignore[arg-type]


def test_plain_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Coal ship\n\n" + STORY, encoding="utf-8")
    a, b = read(tmp_path / "a.txt", tmp_path / "b.md", published="2024-03-10")
    assert isinstance(a, Article) and a.text == STORY and a.published == "2024-03-10"
    assert isinstance(b, Article) and b.text.endswith(STORY)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = f"""<!doctype html><html><head><title>Coal ship leaves Nampo</title>
    <meta property="og:url" content="https://news.example.org/coal-ship">
    <meta property="article:published_time" content="2024-03-11T08:00:00Z"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Coal ship leaves Nampo</h1>
    <p>{STORY}</p><p>The vessel switched off its transponder after leaving port, the
    officials added, and was later seen beside a Chinese barge.</p></article>
    <footer>Copyright</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (art,) = read(tmp_path / "page.html")
    assert isinstance(art, Article)
    assert STORY in art.text and "Copyright" not in art.text
    assert art.title == "Coal ship leaves Nampo"
    assert art.published == "2024-03-11"
    assert art.url == "https://news.example.org/coal-ship"


def test_json_object_and_jsonl_keep_ids_and_order(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps(
        {"id": "x1", "title": "T", "published": "2024-03-01", "url": "https://e.org/1", "text": STORY}))
    lines = [{"id": f"n{i}", "text": f"Story number {i}. {STORY}"} for i in range(5)]
    (tmp_path / "many.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    one, *many = read(tmp_path / "one.json", tmp_path / "many.jsonl")
    assert isinstance(one, Article) and (one.id, one.published, one.url) == ("x1", "2024-03-01", "https://e.org/1")
    assert [a.id for a in many] == [f"n{i}" for i in range(5)]  # type: ignore[union-attr]


def test_directory_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("second " + STORY)
    (tmp_path / "a.txt").write_text("first " + STORY)
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text("hidden " + STORY)
    got = read(tmp_path)
    assert [a.text.split()[0] for a in got] == ["first", "second"]  # type: ignore[union-attr]


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    text = "Le ministère a confirmé la livraison de véhicules à Pyongyang, a déclaré le porte-parole."
    (tmp_path / "fr.txt").write_bytes(text.encode("latin-1"))
    (art,) = read(tmp_path / "fr.txt")
    assert isinstance(art, Article) and art.text == text


def test_declared_html_charset_is_honoured(tmp_path: Path) -> None:
    body = "<p>" + "Der Minister bestätigte die Lieferung von Fahrzeugen nach Pjöngjang. " * 3 + "</p>"
    html = (f'<html><head><meta charset="windows-1252"><title>Lieferung</title></head>'
            f"<body><article>{body}</article></body></html>")
    (tmp_path / "de.html").write_bytes(html.encode("cp1252"))
    (art,) = read(tmp_path / "de.html")
    assert isinstance(art, Article) and "bestätigte" in art.text and "Pjöngjang" in art.text


def test_utf16_with_bom(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(STORY.encode("utf-16"))
    (art,) = read(tmp_path / "u16.txt")
    assert isinstance(art, Article) and art.text == STORY


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"  \n\t\n", "empty input"),
        ("blob.txt", bytes(range(256)) * 8, "binary data"),
        ("undecidable.txt", bytes(0x80 + i % 100 for i in range(3000)), "encoding cannot be determined"),
        ("broken.json", b'{"text": "unterminated', "invalid JSON"),
        ("notext.json", b'{"title": "no text here"}', 'no "text" string'),
        ("list.json", b'[1, 2]', "not a JSON object"),
        ("nohtml.html", b"<html><body><script>var x = 1;</script></body></html>", "no article text"),
    ],
)
def test_bad_files_are_one_clear_problem(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    (problem,) = read(tmp_path / name)
    assert isinstance(problem, InputProblem)
    assert message in problem.message and problem.origin.endswith(name)
    assert "\n" not in str(problem)


def test_bad_jsonl_lines_name_their_line_and_the_rest_are_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "ok1", "text": STORY}),
        "{not json",
        json.dumps({"id": "notext"}),
        "",
        json.dumps({"id": "ok2", "text": STORY, "published": "last Tuesday-ish nonsense"}),
        json.dumps({"id": "ok3", "text": STORY, "published": "2024-03-05T10:00:00+09:00"}),
        json.dumps({"id": "ok4", "text": STORY, "published": "2018-02"}),
        json.dumps({"id": "ok5", "text": STORY, "published": "2018"}),
    ]) + "\n")
    items = read(path)
    problems = [(p.line, p.message) for p in items if isinstance(p, InputProblem)]
    assert [line for line, _ in problems] == [2, 3, 5]
    assert "invalid JSON" in problems[0][1] and '"text"' in problems[1][1] and "not a date" in problems[2][1]
    assert [a.id for a in items if isinstance(a, Article)] == ["ok1", "ok3", "ok4", "ok5"]
    # a partial publication date is valid input, kept as given
    assert [a.published for a in items if isinstance(a, Article)] == [None, "2024-03-05", "2018-02", "2018"]


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.bin").write_bytes(b"\x00\x01")
    missing, empty = read(tmp_path / "nope.txt", tmp_path / "empty")
    assert isinstance(missing, InputProblem) and "no such file" in missing.message
    assert isinstance(empty, InputProblem) and "no readable files" in empty.message


def test_size_limit_is_enforced_per_article(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 400)
    (tmp_path / "big.jsonl").write_text(json.dumps({"id": "b", "text": "word " * 400}) + "\n"
                                        + json.dumps({"id": "s", "text": "short text"}) + "\n")
    big, big_line, small = read(tmp_path / "big.txt", tmp_path / "big.jsonl", max_chars=1000)
    assert isinstance(big, InputProblem) and "over the limit" in big.message
    assert isinstance(big_line, InputProblem) and big_line.line == 1
    assert isinstance(small, Article) and small.id == "s"


def test_article_without_id_gets_a_stable_hash_id() -> None:
    a = Article(text=STORY).with_id()
    assert a.id == Article(text=STORY).with_id().id and len(a.id or "") == 16
    assert Article(text=STORY + " ").with_id().id != a.id
