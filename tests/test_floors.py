"""The house's floors (docs/CONTRIBUTING.md): the layers contract itself runs as `lint-imports` in
.ci/run (pyproject.toml); here, what import-linter does not check."""

import grimp

PACKAGES = ("sba_portal", "digests", "privacy", "overview", "inquiries", "nki", "surveys", "members", "outbox")


def _mutual_imports(graph) -> set[tuple[str, str]]:
    found = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if module < imported and graph.direct_import_exists(importer=imported, imported=module):
                found.add((module, imported))
    return found


def _task_and_its_service(pair: tuple[str, str]) -> bool:
    """A Celery task module and the service it calls (the service queues the task) may meet."""
    names = {module.rsplit(".", 1)[-1] for module in pair}
    packages = {module.rsplit(".", 1)[0] for module in pair}
    return names == {"tasks", "services"} and len(packages) == 1


def test_no_two_modules_import_each_other_except_a_task_and_its_service():
    graph = grimp.build_graph(*PACKAGES)
    assert sorted(pair for pair in _mutual_imports(graph) if not _task_and_its_service(pair)) == []


def test_the_check_finds_a_mutual_import():
    graph = grimp.ImportGraph()
    for module in ("app", "app.a", "app.b", "app.tasks", "app.services"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.a")
    graph.add_import(importer="app.tasks", imported="app.services")
    graph.add_import(importer="app.services", imported="app.tasks")
    pairs = _mutual_imports(graph)
    assert pairs == {("app.a", "app.b"), ("app.services", "app.tasks")}
    assert [pair for pair in pairs if not _task_and_its_service(pair)] == [("app.a", "app.b")]
