import pytest

from rxlens.catalog.normalize import Strength, normalize


@pytest.mark.parametrize(
    ("text", "key", "strengths"),
    [
        pytest.param("GASCON 40MG", "GASCON", [Strength(40, "MG")], id="english-with-strength"),
        pytest.param("瓦斯康錠", "瓦斯康", [], id="dosage-form-word-dropped"),
        pytest.param("LORAZEPAMO.5MG", "LORAZEPAM", [Strength(0.5, "MG")], id="ocr-letter-o-for-zero"),
        pytest.param("法莫替丁锭", "法莫替丁", [], id="simplified-form-character"),
        pytest.param('"信東" 安柏寧錠0.5毫克', "安柏寧", [Strength(0.5, "MG")], id="maker-in-quotes"),
        pytest.param(
            "冠達悅歐樂持續性藥效錠３０公絲", "冠達悅歐樂", [Strength(30, "MG")], id="full-width-and-公絲"
        ),
        pytest.param("AUGMENTIN 1G F.C. TABLETS", "AUGMENTIN", [Strength(1000, "MG")], id="grams-and-fc"),
        pytest.param("ALLEGRA180MG", "ALLEGRA", [Strength(180, "MG")], id="strength-glued-to-name"),
        pytest.param('O.Y." REH NAR TONG TABLETS', "REHNARTONG", [], id="maker-lost-its-opening-quote"),
        pytest.param(
            'U-LIANG"EUTOMIN TABLETS 850MG', "EUTOMIN", [Strength(850, "MG")], id="maker-glued-no-quote"
        ),
        pytest.param("PEICHIA TABLETS \"P.L.'", "PEICHIA", [], id="closing-quote-read-as-apostrophe"),
        pytest.param(
            "JARDIANCE DUO FILMCOÄTED TABLETS", "JARDIANCEDUO", [], id="ocr-accent-on-a-latin-letter"
        ),
        pytest.param('CRESTOR" 10MG', "CRESTOR", [Strength(10, "MG")], id="a-brand-with-a-stray-quote-stays"),
        pytest.param('ZM"CALCIUM TABLETS', "CALCIUM", [], id="a-short-maker-lost-its-opening-quote"),
        pytest.param("COPLAVIX FILM COATED TABIETS /OMG/LVUMG", "COPLAVIX", [], id="strengths-as-letters"),
        pytest.param('N-WAY TABLETSOMG (CIMETIDINE) "MEIDER"', "NWAY", [], id="strength-as-letters-glued"),
        pytest.param('T.F."SU-TON TABLETS', "SUTON", [], id="maker-lost-its-quote-before-a-hyphened-name"),
        pytest.param(
            "GLUFIT TABLETS 30 MG “YU SHENG’",
            "GLUFIT",
            [Strength(30, "MG")],
            id="maker-closed-by-a-misread-’",
        ),
        pytest.param(
            "SHITEH”DOXYLINE CAPSULES 50MG",
            "DOXYLINE",
            [Strength(50, "MG")],
            id="a-maker-word-lost-its-quote",
        ),
        pytest.param(
            "LIPITOR” CHEWABLE TABLETS 10MG", "LIPITOR", [Strength(10, "MG")], id="a-brand-before-a-misread-R"
        ),
        pytest.param("SMILIMG MOUTH WASH", "SMILIMGMOUTHWASH", [], id="a-name-word-ending-in-MG-stays"),
        pytest.param(
            "CRESTOR” TABLETS 10MG", "CRESTOR", [Strength(10, "MG")], id="a-brand-before-a-form-word-stays"
        ),
        pytest.param('TAMLOSIN"STANDARD"', "TAMLOSIN", [], id="a-straight-quote-opens-the-maker"),
        pytest.param("SOOTHER TABLETS IMG", "SOOTHER", [Strength(1, "MG")], id="ocr-letter-i-for-one"),
        pytest.param(
            "VERZENIO TABLAT 150MG", "VERZENIO", [Strength(150, "MG")], id="form-word-one-letter-off"
        ),
        pytest.param("SENNAPURTABLETS", "SENNAPUR", [], id="form-word-glued-to-name"),
        pytest.param("Rotlip film-coatedTablets 10mg", "ROTLIP", [Strength(10, "MG")], id="glued-form-words"),
        pytest.param("&quot;井田&quot; 加斯朗錠", "加斯朗", [], id="html-entities"),
        pytest.param("HYOSCYAMINE 125 MCG", "HYOSCYAMINE", [Strength(0.125, "MG")], id="micrograms"),
        pytest.param("〝培力〞喜朵錠", "喜朵", [], id="maker-in-corner-quotes"),
        pytest.param("生達”胃樂順膜衣錠20毫克", "胃樂順", [Strength(20, "MG")], id="maker-quote-lost"),
        pytest.param("善脂瑩膜衣綻 20 毫克", "善脂瑩", [Strength(20, "MG")], id="ocr-綻-for-錠"),
        pytest.param("”井田”去脂醇微粒化膠囊", "去脂醇微粒化", [], id="maker-in-two-closing-quotes"),
        pytest.param("''應元'' 補鐵咀嚼錠", "補鐵", [], id="maker-in-doubled-apostrophes"),
        pytest.param("Dicron MR Tablets 30mg", "DICRONMR", [Strength(30, "MG")], id="release-code-MR-kept"),
        pytest.param(
            "DETRUSITOL SR PROLONGED-RELEASE CAPSULES 4MG",
            "DETRUSITOLSR",
            [Strength(4, "MG")],
            id="spelled-out-release-is-a-form-word",
        ),
        pytest.param("SERC 8MG", "SERC", [Strength(8, "MG")], id="release-letters-inside-a-name-stay"),
        pytest.param("瑞安袪喘膠囊", "瑞安祛喘", [], id="variant-character-folded"),
        pytest.param('"CRESTOR 10MG', "CRESTOR", [Strength(10, "MG")], id="stray-quote-opening-the-line"),
        pytest.param("(CRESTOR 10MG", "CRESTOR", [Strength(10, "MG")], id="stray-bracket-opening-the-line"),
        pytest.param("SEROQUEL XR 200MG", "SEROQUELXR", [Strength(200, "MG")], id="release-code-kept"),
        pytest.param(
            "ERISPAN-STABLETS 0.25MG", "ERISPANS", [Strength(0.25, "MG")], id="form-glued-after-a-hyphen"
        ),
        pytest.param("SENIN F.C.TABTET 9.6MG", "SENIN", [Strength(9.6, "MG")], id="misread-TABLET"),
        pytest.param("Anxokast Chewable Tablets 5mg", "ANXOKAST", [Strength(5, "MG")], id="chewable"),
        pytest.param('SUFUCON CAPSULES "C.A', "SUFUCON", [], id="latin-maker-quote-never-closed"),
        pytest.param("D.M.P. TABLETS (DOMPERIDOE章", "DMP", [], id="bracket-never-closed"),
        pytest.param(
            "DUOCIDE 400/80MG 115.6.23",
            "DUOCIDE",
            [Strength(400, "MG"), Strength(80, "MG")],
            id="stamp-date-read-into-the-line",
        ),
        pytest.param(
            "力脈樂5/160/12.5毫克膜衣錠",
            "力脈樂",
            [Strength(5, "MG"), Strength(160, "MG"), Strength(12.5, "MG")],
            id="slashed-strengths-are-no-date",
        ),
        pytest.param("KINTHREE FILM TABLETS 9.6MG", "KINTHREE", [Strength(9.6, "MG")], id="film-alone"),
        pytest.param(
            "固糖平持續性蔓效錠 500毫克", "固糖平", [Strength(500, "MG")], id="long-zh-form-one-char-off"
        ),
        pytest.param("妥癲平膜衣錦 50毫克", "妥癲平", [Strength(50, "MG")], id="錠-read-錦-ending-a-name"),
        pytest.param("布克芬蹤(布克利啶)", "布克芬", [], id="錠-read-蹤-before-a-bracket"),
        pytest.param("寶齡富錦速克痛錠", "寶齡富錦速克痛", [], id="錦-inside-a-name-stays"),
        pytest.param("必長寧膜衣錠", "必長寧", [], id="a-name-ending-like-a-long-form-stays"),
        pytest.param('TUENSILIN TABLETS MIG "ROOT"', "TUENSILIN", [], id="strength-read-MIG"),
        pytest.param("MOPRIDE E.C. TABLETS75MO", "MOPRIDE", [Strength(75, "MG")], id="unit-G-read-O"),
        pytest.param(
            "VOKER FILM COATES TABLETS 40MG", "VOKER", [Strength(40, "MG")], id="licence-misspelt-coated"
        ),
        pytest.param("LOPIRIN ENTERIC-CAATED TABLETS", "LOPIRIN", [], id="ocr-misread-coated"),
        pytest.param(
            "THRONE ENTERIC SUGAR COATED TABLETS 100MG",
            "THRONE",
            [Strength(100, "MG")],
            id="enteric-and-sugar",
        ),
        pytest.param("DICLOFEN ENTERIC FILM COATING TABLETS", "DICLOFEN", [], id="coating-as-licensed"),
        pytest.param("VOREN ENTERIC-MICROENCAPSULATED CAPSULES", "VOREN", [], id="microencapsulated"),
        pytest.param("PAINOFF ENTERIC - MICROENCAPSULATED CAPSULES", "PAINOFF", [], id="spaced-hyphen"),
        pytest.param("DICLOFEN ENTERIC-MICRO-ENCAPSULED CAPSULES", "DICLOFEN", [], id="licence-spelling"),
        pytest.param("ENTERICOL TABLETS", "ENTERICOL", [], id="enteric-inside-a-brand-stays"),
        pytest.param("CETADIME FOR INJETION", "CETADIME", [], id="misspelt-injection"),
        pytest.param("REALEASE POWDER", "REALEASE", [], id="a-brand-one-letter-from-release-stays"),
        pytest.param("ANTIASTH SLOW RELEASE TABLETS", "ANTIASTHSLOW", [], id="bare-release-is-a-form-word"),
        pytest.param(
            'WUNTON TABLETS"W.P. 25MG', "WUNTON", [Strength(25, "MG")], id="glued-maker-initials-never-closed"
        ),
        pytest.param(
            "CEMINE EC. TABLETS 10MG", "CEMINE", [Strength(10, "MG")], id="ec-without-its-inner-dot"
        ),
    ],
)
def test_normalize(text: str, key: str, strengths: list[Strength]) -> None:
    result = normalize(text)
    assert result.key == key
    assert [s for s in result.strengths if s.unit] == strengths


def test_a_bracket_never_closed_keeps_its_whole_generic() -> None:
    assert normalize("WEIMOK F.C. 20MG (FAMOTIDINE").generics == ("FAMOTIDINE",)
