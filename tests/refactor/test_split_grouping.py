"""The grouping behind `carve split`: modularity over references, stems and adjacency,
contiguous runs first, no import cycle among the groups."""

from __future__ import annotations

import ast

from carve.core.refactor.edits.layout import ModuleLayout
from carve.core.refactor.edits.splices import LineIndex
from carve.core.refactor.edits.unit_graph import UnitGraph
from carve.core.refactor.split.clustering import cluster
from carve.core.refactor.split.grouping import FeatureGrouping, Grouping


def _group(text: str, component: str = "models") -> Grouping:
    graph = UnitGraph(ModuleLayout(ast.parse(text), LineIndex(text)), [], deferred=False)
    return FeatureGrouping(graph, component).run()


def _homes(grouping: Grouping) -> dict[str, str]:
    homes = {n: feature for feature, names in grouping.features.items() for n in names}
    return homes | dict.fromkeys(grouping.shared, "(shared)")


def test_runs_split_where_the_links_thin_out() -> None:
    # Two cliques in a row, one weak link between them.
    weights = {(a, b): 1.0 for a in range(4) for b in range(a + 1, 4)}
    weights |= {(a, b): 1.0 for a in range(4, 8) for b in range(a + 1, 8)}
    weights[(3, 4)] = 0.2
    assert cluster(8, weights, 1.0) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_runs_linked_more_than_chance_join_unless_that_makes_a_cycle() -> None:
    # 0-1 and 4-5 are one feature written in two places; 2-3 sits between them.
    weights = {(0, 1): 3.0, (2, 3): 3.0, (4, 5): 3.0, (1, 4): 2.0, (0, 5): 2.0}
    weights |= {(1, 2): 0.1, (3, 4): 0.1}
    assert cluster(6, weights, 1.0) == [[0, 1, 4, 5], [2, 3]]
    # The first run needs 2-3, and 2-3 needs the second run: joined, the two files
    # would import each other.
    needs = [{2}, set(), {4}, set(), set(), set()]
    assert cluster(6, weights, 1.0, needs) == [[0, 1], [2, 3], [4, 5]]


LIBRARY = """
DEFAULT_TIMEOUT = 10


def parse_url(text):
    return text.split("/")


class Request:
    timeout = DEFAULT_TIMEOUT

    def query(self):
        return QueryDict(self.path)

    def url(self):
        return parse_url(self.path)


class QueryDict(dict):
    def copy(self):
        return QueryDict(self)


def make_request():
    return Request()


class Response:
    def __init__(self, request: Request):
        self.request = request


class StreamingResponse(Response):
    pass


class FileResponse(StreamingResponse):
    pass


def render(response):
    return FileResponse(response)
"""


def test_a_module_without_stems_splits_where_its_definitions_stop_reading_each_other() -> None:
    homes = _homes(_group(LIBRARY, "http"))
    request = {"DEFAULT_TIMEOUT", "parse_url", "Request", "QueryDict", "make_request"}
    response = {"Response", "StreamingResponse", "FileResponse", "render"}
    assert len({homes[n] for n in request}) == 1
    assert len({homes[n] for n in response}) == 1
    assert homes["Request"] != homes["Response"]


def test_a_helper_written_elsewhere_joins_the_family_it_is_named_after() -> None:
    text = (
        "class Invoice:\n    pass\n\n\nclass InvoiceLine:\n    invoice = Invoice\n\n\n"
        "class Customer:\n    pass\n\n\nclass CustomerNote:\n    customer = Customer\n\n\n"
        "def invoice_total(invoice):\n    return 0\n"
    )
    homes = _homes(_group(text))
    assert homes["invoice_total"] == homes["Invoice"] == homes["InvoiceLine"]
    assert homes["Customer"] == homes["CustomerNote"] != homes["Invoice"]


def test_a_light_mixin_is_shared_a_base_that_needs_much_is_not() -> None:
    helpers = "".join(f"def helper_{i}():\n    return {i}\n\n\n" for i in range(8))
    calls = " + ".join(f"helper_{i}()" for i in range(8))
    text = (
        "class StampMixin:\n    stamped = True\n\n\n"
        f"{helpers}class Node:\n    def total(self):\n        return {calls}\n\n\n"
        "class Invoice(StampMixin, Node):\n    pass\n\n\n"
        "class Customer(StampMixin, Node):\n    pass\n\n\n"
        "class Payment(StampMixin, Node):\n    pass\n"
    )
    grouping = _group(text)
    assert grouping.shared == ["StampMixin"]
    assert "Node" not in grouping.shared and "helper_0" not in grouping.shared


def test_groups_never_need_each_other() -> None:
    text = LIBRARY + (
        "\n\nclass Session:\n    def send(self):\n        return render(make_request())\n"
        "\n\ndef open_session():\n    return Session()\n"
    )
    graph = UnitGraph(ModuleLayout(ast.parse(text), LineIndex(text)), [], deferred=False)
    grouping = FeatureGrouping(graph, "http").run()
    homes = _homes(grouping)
    edges = {
        (homes[name], homes[need])
        for name in homes
        for need in graph.needed_by([name])
        if need in homes and homes[need] != homes[name]
    }
    assert not {(b, a) for a, b in edges} & edges
    placed = [n for names in grouping.features.values() for n in names] + grouping.shared
    assert sorted(placed) == sorted(graph.binders)  # each name once, none left in the hub


def test_a_module_not_written_feature_by_feature_groups_by_its_links_alone() -> None:
    order = ["Invoice", "Customer", "Order", "InvoiceLine", "CustomerNote", "OrderLine"]
    order += ["InvoiceSequence", "CustomerAddress", "OrderStatus"]
    reads = {"InvoiceLine": "Invoice", "CustomerNote": "Customer", "OrderLine": "Order"}
    reads |= {"InvoiceSequence": "Invoice", "CustomerAddress": "Customer"}
    reads |= {"OrderStatus": "Order"}
    text = "".join(
        f"class {name}:\n    other = {reads[name]}\n\n\n"
        if name in reads
        else f"class {name}:\n    pass\n\n\n"
        for name in order
    )
    graph = UnitGraph(ModuleLayout(ast.parse(text), LineIndex(text)), [], deferred=False)
    grouping = FeatureGrouping(graph, "models")
    homes = _homes(grouping.run())
    assert not grouping.ordered
    for family in ("Invoice", "Customer", "Order"):
        assert len({homes[n] for n in order if n.startswith(family)}) == 1
    assert len(set(homes.values())) == 3
