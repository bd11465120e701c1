import pytest

from crawler.language import detect_language

CASES = [
    ("미국 상무부가 엔비디아의 H20 칩 중국 수출을 다시 제한하기로 했다. 업계는 실적 타격을 우려한다.", "ko"),
    ("엔비디아(NVIDIA) H20·H200 GPU와 AMD MI308, ASML EUV 장비에 대한 BIS의 Entity List 규정(FDPR)이 "
     "강화됐다고 Reuters와 Bloomberg가 보도했다.", "ko"),
    ("The US Commerce Department tightened export controls on Nvidia's H20 chips to China on Monday.", "en"),
    ("美国商务部周一宣布收紧对英伟达H20芯片的出口管制，中国外交部表示坚决反对。", "zh"),
    ("米商務省は月曜日、エヌビディアのH20チップの中国向け輸出規制を強化すると発表した。", "ja"),
    ("", "und"),
    ("12345 !!! ...", "und"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_korean_with_han_headline_characters_is_korean():
    assert detect_language("美, 中 AI 칩 수출 전면 통제…中 \"강력 대응\" 반발") == "ko"
