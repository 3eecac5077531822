"""Invented personal data: Chinese names from common surnames and given-name characters, fake
mobile numbers. Names of real people mentioned in the seed article are never produced."""
import random

# Common surnames, the most frequent first; the weights make the first ones more likely.
SURNAMES = "".join(dict.fromkeys(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷钱汤尹黎易常武乔贺赖"
    "龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂焦向柳邢岳齐卓梅莫庄辛管祝左涂谷祁时舒耿"
))
SURNAME_WEIGHTS = [max(1, 40 - i // 3) for i in range(len(SURNAMES))]

MALE_CHARS = "伟强磊军勇涛斌超明平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳杰峰海东兵亮成国庆新春生振宏文立江永毅锋晨" \
             "博志忠德刚铭晓瑞泽彬智胜鸿达洪武庆松柏岩石喜"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲燕红梅莉婷雪琳晶颖慧洁倩丹萍佳欣悦蕾薇琴云楠月媛璐琪菲岚晓雯露茜妍瑶淑凤春爽"
# Given names typical of older generations.
CLASSIC_MALE = ("建国", "国庆", "卫东", "建军", "振华", "志强", "海涛", "立新", "永刚", "红军", "长江", "金山")
CLASSIC_FEMALE = ("桂兰", "秀英", "玉梅", "淑华", "凤霞", "丽华", "红梅", "春燕", "桂芝", "秀珍")

# People named in the seed article: the demo must not impersonate them.
RESERVED_NAMES = frozenset({"万军", "邹君", "杜新军", "方小明", "李忠诚", "赵万辉"})

MOBILE_PREFIXES = ("130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187",
                   "188", "189", "199")


def person_name(rng: random.Random, gender: str, birth_year: int) -> str:
    while True:
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
        roll = rng.random()
        if birth_year < 1975 and roll < 0.15:
            given = rng.choice(CLASSIC_MALE if gender == "M" else CLASSIC_FEMALE)
        elif roll < 0.45:
            given = rng.choice(chars)
        else:
            given = rng.choice(chars) + rng.choice(chars)
            if given[0] == given[1] and rng.random() < 0.7:
                continue
        name = surname + given
        if name not in RESERVED_NAMES:
            return name


def mobile(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        if number not in taken:
            taken.add(number)
            return number
