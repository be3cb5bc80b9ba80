"""Reports written for the incident, relation and export tests, stored without the NLP model."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctionwatch.model import Article, Entity, Event, Flag, Goods, Party, Report, ScreeningHit, Span
from sanctionwatch.store import Store, article_key, article_rows

V1 = {"sanctionwatch": "test", "rules": "r-1"}
V2 = {"sanctionwatch": "test", "rules": "r-2"}

RUSSIA = Party("Russia", "RUS", kb_id="country/RUS", kind="country")
PUTIN = Party("Vladimir Putin", "RUS", kb_id="person/vladimir-putin", kind="person")
DPRK = Party("North Korea", "PRK", kb_id="country/PRK", kind="country")
KIM = Party("Kim Jong Un", "PRK", kb_id="person/kim-jong-un", kind="person")
CHINA = Party("China", "CHN", kb_id="country/CHN", kind="country")
LIMOUSINE = Goods("Aurus limousine", kb_id="goods/limousine", hs="8703",
                  classes=("motor-vehicle", "luxury"), luxury=True)
COAL = Goods("coal", kb_id="goods/coal", hs="2701", classes=("coal",))


@dataclass
class Story:
    """One article about one act: the sentence that tells it, who, what and when."""

    id: str
    sentence: str
    supplier: Party | None = RUSSIA
    recipient: Party | None = KIM
    goods: Goods | None = LIMOUSINE
    date: str | None = "2024-02-18"
    published: str | None = "2024-02-20"
    url: str | None = None
    category: str = "un-dprk/luxury-goods"
    modality: str = "reported"
    confirmed_by: tuple[str, ...] = ()
    confidence: float = 0.8
    extra: list[Event] = field(default_factory=list)  # other events of the article
    names: tuple[tuple[str, str], ...] = ()  # (text, kind) of named parties in the sentence
    hits: tuple[ScreeningHit, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.sentence}\n\nThe rest of the article is about other things."

    def report(self, versions: dict[str, str] = V1) -> Report:
        url = self.url or f"https://{self.id}.example/story"
        article = Article(self.text, id=self.id, url=url, title=f"Story {self.id}",
                          published=self.published, origin="test")
        span = Span(0, len(self.sentence), self.sentence)
        event = Event(type="transfer", code="071", plover="AID", source=self.supplier,
                      target=self.recipient, goods=(self.goods,) if self.goods else (),
                      date=self.date, modality=self.modality, confirmed_by=self.confirmed_by,
                      evidence=(span,))
        flag = Flag(category=self.category, regime=self.category.split("/")[0],
                    rule_id=f"{self.category}/test", citations=("UNSCR 1718 (2006) para 8(a)(iii)",),
                    supplier=self.supplier, recipient=self.recipient, goods=self.goods,
                    event_date=self.date, confidence=self.confidence, evidence=(span,),
                    why="written for a test")
        entities = tuple(
            Entity(text=name, start=self.sentence.index(name),
                   end=self.sentence.index(name) + len(name), kind=kind)
            for name, kind in self.names)
        return Report(article=article, entities=entities, events=(event, *self.extra),
                      flags=(flag,) if self.category else (), screening=self.hits,
                      versions=versions)


def save(store: Store, *stories: Story, versions: dict[str, str] = V1) -> list[int]:
    """Store the stories' reports; their article row ids, in order."""
    rows = []
    for story in stories:
        report = story.report(versions)
        rows.append(article_rows(article_key(report.article.text, report.article.url),
                                 report.article, report))
    store.save(rows)
    ids = store.article_ids(r.key for r in rows)
    return [ids[r.key] for r in rows]


AURUS = [
    Story("kcna-like", "Kim Yo Jong received the car President Putin sent to Kim Jong Un on "
          "February 18, an Aurus limousine.", date="2024-02-18"),
    Story("seoul-like", "Putin gave Kim Jong Un a Russian Aurus limousine on Sunday, Seoul said, "
          "a breach of the ban on luxury goods.", date="--02-18", published="2024-02-21"),
    Story("kremlin-like", "Peskov confirmed that the Aurus limousine Putin gave Kim Jong Un in "
          "February is a Russian-made car.", date="2024-02", published="2024-02-22",
          confirmed_by=("Dmitry Peskov",), supplier=PUTIN),
]
AURUS_JUNE = Story("june-gift", "During the visit Putin presented Kim Jong Un with another Aurus "
                   "limousine and the two leaders drove it.", date="2024-06-19",
                   published="2024-06-20")
COAL_SALE = Story("coal-sale", "Ships carried North Korean coal to Chinese ports in March, the "
                  "panel said.", supplier=DPRK, recipient=CHINA, goods=COAL, date="2023-03",
                  published="2023-05-02", category="un-dprk/export-ban")
