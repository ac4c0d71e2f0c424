"""A party's list status for license determination counts every list it is on."""

from exodus.core.lists.model import EntitySchema, ListEntity
from exodus.core.screening.model import AlsoListed, ScreeningHit
from exodus.services.targeting import party_statuses


def _hit(source: str, also: tuple[AlsoListed, ...] = ()) -> ScreeningHit:
    entity = ListEntity(id=f"{source}:1", source=source, source_id="1",
                        schema=EntitySchema.ORGANIZATION, name="EXAMPLE TRADING FZE",
                        programs=("IRAN-EO13846",))
    return ScreeningHit(entity_id=entity.id, source=source, entity_name=entity.name,
                        matched_name=entity.name, score=0.97, explanation="exact", entity=entity,
                        also=also)


def test_lists_grouped_under_a_hit_count_as_the_party_s_lists() -> None:
    hit = _hit("SDN", also=(AlsoListed(entity_id="EL:9", source="EL", score=0.95),))
    [status] = party_statuses({"ultimate_consignee": [hit]})
    assert status.sources == frozenset({"SDN", "EL"})
    assert status.programs == ("IRAN-EO13846",)


def test_a_hit_without_other_lists_gives_its_own_list_only() -> None:
    [status] = party_statuses({"usppi": [_hit("DPL")]})
    assert status.sources == frozenset({"DPL"})
