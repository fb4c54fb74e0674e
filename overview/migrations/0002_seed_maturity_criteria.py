"""Seed the maturity criteria from "Vägen framåt för kommunerna" (Startpoint Advisory 2020, p. 20–21).

Each bullet of the model's cells is one criterion. NEUTRAL criteria describe the baseline; PROAKTIV
holds AKTIV plus the criteria below, so bullets the report repeats under PROAKTIV are not repeated.
Staff edit the texts in admin; this migration only adds rows to an empty table.
"""

from django.db import migrations

L, D, C, S = "leadership", "development", "capacity", "use_of_sba"

CRITERIA = {
    "nki": [
        ("neutral", L, "Begränsad prioritet på kommunledningsnivå.", "Limited priority at kommun-leadership level.", ""),
        ("neutral", D, "Delger och rapporterar NKI-resultatet i olika forum, både på politik- och tjänstepersonsnivå. Begränsad användning i verksamhetsutveckling.", "Reports the NKI results in forums at political and official level; limited use in developing the services.", ""),
        ("neutral", S, "Är en del av SBA och följer utvecklingen men är inte aktiv i SBA-samarbetet.", "Member of SBA and follows the development, but is not active in the cooperation.", ""),
        ("aktiv", L, "NKI är en prioriterad fråga på kommunledningsnivå.", "NKI is prioritised at kommun-leadership level.", ""),
        ("aktiv", L, "Det finns en utpekad kontaktperson med mandat att driva frågorna i kommunen.", "There is a named contact person with a mandate to drive the work in the kommun.", "contact_nki"),
        ("aktiv", L, "Mål är uttryckta i kommunövergripande dokument.", "Goals are written in kommun-wide documents.", ""),
        ("aktiv", D, "Delger och rapporterar NKI-resultatet i olika forum (politik, tjänstepersoner, näringslivsråd m.fl.) och skapar dialog i dem.", "Reports the NKI results in forums (political, officials, business councils etc.) and creates dialog there.", ""),
        ("aktiv", D, "Kvalitetssäkrar genom olika mätningar, data och fakta.", "Quality-assures with other measurements, data and facts.", ""),
        ("aktiv", D, "Använder NKI som input i verksamhetsutveckling och styrning.", "Uses NKI as input to developing and steering the services.", ""),
        ("aktiv", D, "Ser att arbetet med NKI kan ge avlastning genom tid- och resursbesparing.", "Sees that NKI work can save time and resources.", ""),
        ("aktiv", D, "Ser materialet som en del i kundvårdsarbetet.", "Sees the material as part of customer care.", ""),
        ("aktiv", S, "Jämför över tid och med liknande verksamheter inom SBA-samarbetet och andra organisationer.", "Compares over time and with similar services within SBA and other organisations.", "nki_years"),
        ("proaktiv", L, "NKI är en prioriterad fråga som drivs aktivt på kommunledningsnivå.", "NKI is actively driven at kommun-leadership level.", ""),
        ("proaktiv", L, "Det finns en utpekad kontaktperson samt en organisation med representanter i relevanta förvaltningar.", "There is a named contact person and an organisation with representatives in the relevant departments.", ""),
        ("proaktiv", D, "Skapar dialog i olika forum och involverar näringslivet i förbättringsarbetet.", "Creates dialog in forums and involves the business community in the improvement work.", ""),
        ("proaktiv", D, "Använder underlaget som nulägesorientering: var står vi i dag och vart vill vi?", "Uses the results for orientation: where are we today and where do we want to be?", ""),
        ("proaktiv", D, "Analyserar och fångar upp förändringar i kundbehoven – vad saknas i erbjudandet?", "Analyses and captures changing customer needs – what is missing in the offer?", ""),
        ("proaktiv", D, "Arbetar aktivt med serviceanpassad myndighetsutövning.", "Works actively with service-adapted authority services.", ""),
        ("proaktiv", S, "Deltar i utvecklingsarbetet i SBA eller SKR som en del i utvecklingen av NKI-arbetet.", "Takes part in the development work of SBA or SKR on NKI.", ""),
    ],
    "investment": [
        ("neutral", L, "Inte en prioriterad fråga på kommunledningsnivå.", "Not prioritised at kommun-leadership level.", ""),
        ("neutral", C, "Tar del av information och följer utvecklingen, men arbetar inte aktivt med att få investeringar till kommunen.", "Takes in information and follows the development, but does not work actively to attract investment.", ""),
        ("neutral", S, "Är en del av SBA och tar del av informationen, men är inte en aktiv del av det investeringsfrämjande arbetet.", "Member of SBA and takes in the information, but is not active in the investment-promotion work.", ""),
        ("aktiv", L, "Investeringsfrämjande är en prioriterad fråga på kommunledningsnivå.", "Investment promotion is prioritised at kommun-leadership level.", ""),
        ("aktiv", L, "Det finns en medvetenhet om vad som krävs för att attrahera utländska företagsetableringar.", "There is an awareness of what it takes to attract foreign establishments.", ""),
        ("aktiv", C, "Det finns en utpekad kontaktperson eller grupp.", "There is a named contact person or group.", "contact_investment"),
        ("aktiv", C, "Har förmåga att fånga möjligheterna när de kommer: beredskap, engagemang och vilja att ställa upp.", "Able to seize opportunities when they come: ready, engaged and willing.", ""),
        ("aktiv", C, "Det finns framtagna processer och arbetssätt.", "There are documented processes and ways of working.", ""),
        ("aktiv", C, "Återkommande dialog med utländskt ägda företag för att behålla och utveckla verksamheterna i kommunen.", "Recurring dialog with foreign-owned companies to keep and grow them in the kommun.", ""),
        ("aktiv", S, "Tar del av och svarar på de investeringsförfrågningar som kommer via SBA.", "Takes part in and responds to the investment inquiries that come via SBA.", "inquiry_answer_rate"),
        ("proaktiv", L, "Det finns en framtagen investeringsfrämjande strategi.", "There is an investment-promotion strategy.", ""),
        ("proaktiv", L, "Det finns en etablerad kontaktväg med politiken för snabb respons.", "There is an established path to the politicians for quick answers.", ""),
        ("proaktiv", C, "Arbetar aktivt med att få andra parter att verka för kommunen.", "Works actively to get other parties to work for the kommun.", ""),
        ("proaktiv", C, "Hela kommunen backar upp och utgår från ett affärsperspektiv.", "The whole kommun backs the work with a business perspective.", ""),
        ("proaktiv", C, "Deltar i många olika sammanhang för att skapa relationer och kontaktytor för framtida investeringar i regionen.", "Takes part in many settings to build relations for future investment in the region.", ""),
        ("proaktiv", C, "Aktiv dialog med utländskt ägda företag om att behålla och utveckla investeringar, med en gemensam handlingsplan mellan bolag och kommun.", "Active dialog with foreign-owned companies on keeping and growing investment, with a joint action plan of company and kommun.", ""),
        ("proaktiv", S, "Bistår och verkar aktivt för att förfrågningar kommer till SBA-området.", "Helps actively to bring inquiries to the SBA area.", ""),
    ],
}


def seed(apps, schema_editor):
    Criterion = apps.get_model("overview", "MaturityCriterion")
    if Criterion.objects.exists():
        return
    rows = []
    for track, criteria in CRITERIA.items():
        for order, (level, dimension, text_sv, text_en, evidence_key) in enumerate(criteria, start=1):
            rows.append(
                Criterion(
                    track=track,
                    level=level,
                    dimension=dimension,
                    text_sv=text_sv,
                    text_en=text_en,
                    order=order * 10,
                    evidence_key=evidence_key,
                )
            )
    Criterion.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("overview", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
