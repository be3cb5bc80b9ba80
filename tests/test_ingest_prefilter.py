"""The cheap first pass that spares most articles the full parse must lose no flag."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from sanctionwatch.analyze import Analyzer
from sanctionwatch.model import Article
from sanctionwatch.sources import read_inputs


@pytest.mark.skipif("prefilter" not in inspect.signature(Analyzer).parameters,
                    reason="the analyzer has no prefilter yet")
def test_on_the_dev_set_flags_with_the_prefilter_equal_flags_without_it(shared: Path):
    articles = [a for a in read_inputs([str(shared / "devset" / "articles.jsonl")])
                if isinstance(a, Article)]
    assert len(articles) == 29
    filtered = [r.flags for r in Analyzer(prefilter=True).analyze_many(articles)]
    unfiltered = [r.flags for r in Analyzer(prefilter=False).analyze_many(articles)]
    assert sum(map(len, unfiltered)) > 0, "no flags at all: the comparison would prove nothing"
    for article, with_filter, without in zip(articles, filtered, unfiltered, strict=True):
        assert with_filter == without, article.id
