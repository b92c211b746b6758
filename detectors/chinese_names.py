"""Chinese names written in ideographs that stand alone in a text of another script.

Chinese writes a person's name as a family name of one ideograph (a few of two) glued to a
given name of one or two ("陳淑玲", "歐陽志明"), with no capital or blank to tell it from a
word, so the cues of :mod:`detectors.name_cues` find it only after a greeting or a label.
Pasted into English, German or Spanish text ("Refund to be sent to 謝淑芬, account ...",
"Bill to: 郭宥廷", "Affected: 政宏 葉, 美麗 陳"), the name is a run of ideographs between
characters of other scripts, and the run is the whole name. :func:`chinese_names` reports
such a run as a PERSON when it is a common family name and a given name of our lists, in
one of the orders forms and exports write them: glued ("林志強"), the family name after a
blank ("麗珠 劉", Western order) or before a comma ("劉, 月英"). A family name alone, a
given name alone ("call 雅慧 on ...": "文章" and "博文" are words too) and any run inside
Chinese prose, where ideographs stand on both sides, are left to the cues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detectors.ner_lexicon import Lexicon
from detectors.ner_words import word_set

__all__ = ["chinese_names"]

# The family names most people in Taiwan, Hong Kong and mainland China bear, in traditional
# and simplified characters (about nine in ten people bear one of the hundred commonest).
# Left out: those that are also particles or frequent words ("于", "文", "明", "和", "成",
# "安", "平", "全", "常", "時"/"时", "萬"/"万", "國"/"国", "海", "花", "向", "應"/"应"),
# where what follows them is as often a phrase. The glued given name must be on our lists
# besides, so "高可用" and "白名单" are no names.
_FAMILY_NAMES = word_set("""
    王 李 張 张 劉 刘 陳 陈 楊 杨 黃 黄 趙 赵 吳 吴 周 徐 孫 孙 馬 马 朱 胡 郭 何 林
    羅 罗 鄭 郑 梁 謝 谢 宋 唐 許 许 韓 韩 馮 冯 鄧 邓 曹 彭 曾 蕭 萧 肖 田 董 袁 潘
    蔣 蒋 蔡 余 杜 葉 叶 程 蘇 苏 魏 呂 吕 丁 任 沈 姚 盧 卢 姜 崔 鍾 钟 鐘 譚 谭 陸 陆
    汪 范 廖 賈 贾 韋 韦 傅 邱 邹 鄒 孟 熊 秦 江 尹 薛 閻 阎 段 雷 侯 陶 黎 賀 贺 顧 顾
    毛 郝 龔 龚 邵 錢 钱 嚴 严 賴 赖 覃 洪 武 戴 莫 孔 湯 汤 溫 温 康 施 牛 樊 葛 邢 齊
    齐 易 喬 乔 伍 龐 庞 顏 颜 倪 莊 庄 聶 聂 章 魯 鲁 岳 翟 殷 詹 歐 欧 耿 關 关 焦 俞
    柳 甘 祝 阮 柯 紀 纪 梅 童 凌 畢 毕 季 裴 霍 涂 凃 苗 盛 翁 駱 骆 藍 蓝 游 辛 管 柴
    鮑 鲍 喻 祁 蒲 滕 饒 饶 艾 尤 穆 卓 簡 简 連 连 麥 麦 岑 費 费 卜 晏 衛 卫 瞿 巫 粘
    高 方 金 石 白 夏 史 龍 龙
    歐陽 欧阳 張簡 范姜 司馬 司马 諸葛 诸葛 上官 東方 东方 慕容 夏侯 令狐 皇甫 尉遲
""")
_IDEOGRAPH = r"\u3400-\u4dbf\u4e00-\u9fff"
# A run of ideographs that no ideograph or kana touches (kana: a Japanese sentence), then,
# after a blank or a comma and a blank, perhaps a second such run: the family name or the
# given name that the first one lacks.
_STANDING = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_RUN = re.compile(
    rf"(?<![{_STANDING}])(?P<first>[{_IDEOGRAPH}]{{1,4}})"
    rf"(?:(?P<gap>[ \t]|,[ \t]?)(?P<second>[{_IDEOGRAPH}]{{1,2}}))?(?![{_STANDING}])"
)


def chinese_names(text: str, lexicon: Lexicon) -> Iterator[tuple[int, int]]:
    """The spans of Chinese names standing alone in ``text`` (module docstring): a common
    family name and a given name of ``lexicon.first_names``, glued, or apart with the family
    name after a blank or before a comma."""
    for match in _RUN.finditer(text):
        first, gap, second = match.group("first", "gap", "second")
        if second is not None and _family_apart(first, gap, second, lexicon):
            yield match.start(), match.end()
        elif _glued(first, lexicon):
            yield match.start(), match.end("first")


def _glued(run: str, lexicon: Lexicon) -> bool:
    """Whether ``run`` is a family name glued to a given name of two ideographs."""
    return any(
        run[:size] in _FAMILY_NAMES and run[size:] in lexicon.first_names
        for size in (1, 2)
        if len(run) - size == 2
    )


def _family_apart(first: str, gap: str, second: str, lexicon: Lexicon) -> bool:
    """Whether two runs are a given name and its family name after a blank ("麗珠 劉"), or
    a family name, a comma and the given name ("劉, 月英")."""
    if gap.startswith(","):
        return first in _FAMILY_NAMES and second in lexicon.first_names
    return second in _FAMILY_NAMES and first in lexicon.first_names
