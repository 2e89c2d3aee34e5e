//! The FAQ entries and their search.

use crate::i18n::Lang;

/// One question with its answer, in both languages.
pub struct Faq {
    pub id: &'static str,
    pub topic_zh: &'static str,
    pub topic_en: &'static str,
    pub q_zh: &'static str,
    pub a_zh: &'static str,
    pub q_en: &'static str,
    pub a_en: &'static str,
}

impl Faq {
    pub fn question(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.q_zh,
            Lang::En => self.q_en,
        }
    }

    pub fn answer(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.a_zh,
            Lang::En => self.a_en,
        }
    }

    pub fn topic(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.topic_zh,
            Lang::En => self.topic_en,
        }
    }

    fn matches(&self, needle: &str) -> bool {
        [
            self.q_zh,
            self.a_zh,
            self.q_en,
            self.a_en,
            self.topic_zh,
            self.topic_en,
        ]
        .iter()
        .any(|s| s.to_lowercase().contains(needle))
    }
}

pub const FAQ: &[Faq] = &[
    Faq {
        id: "resale-top-up",
        topic_zh: "经销商子客户",
        topic_en: "Reseller customers",
        q_zh: "代售模式客户如何充值?",
        a_zh: "代售模式客户不支持自行充值，您可以线下联系合作伙伴充值，充值后合作伙伴会为您的账户拨款。在“我的合作伙伴”中可以查看您关联的合作伙伴。",
        q_en: "How does a resale customer top up its account?",
        a_en: "Resale customers cannot top up by themselves. Contact your partner offline; once paid, the partner allocates the funds to your account. Your linked partner is shown under My partner.",
    },
    Faq {
        id: "contracts",
        topic_zh: "经销商子客户",
        topic_en: "Reseller customers",
        q_zh: "客户签订合同是与华为云签订，还是与合作伙伴签订?",
        a_zh: "代售模式子客户只能线下与合作伙伴签订合同；顾问销售模式子客户，针对自行充值消费和伙伴代付的消费，均可以在费用中心直接申请与华为云签订合同。",
        q_en: "Does a customer sign its contract with Huawei Cloud or with the partner?",
        a_en: "Resale customers sign offline with their partner only. Consulting-sales customers can apply in the billing center for a contract with Huawei Cloud, both for what they pay themselves and for what their partner pays.",
    },
    Faq {
        id: "withdrawal",
        topic_zh: "经销商子客户",
        topic_en: "Reseller customers",
        q_zh: "代售模式如何提现?",
        a_zh: "由解决方案提供商回收金额后，线下退款给代售模式子客户。",
        q_en: "How does a resale customer withdraw money?",
        a_en: "The solution provider reclaims the amount and refunds the resale customer offline.",
    },
    Faq {
        id: "overseas",
        topic_zh: "激励",
        topic_en: "Incentives",
        q_zh: "如果在国外节点购买资源，可以算渠道业绩吗?",
        a_zh: "可以算渠道业绩。具体的激励比例请参考项目条例，和中国区的激励政策略有不同。",
        q_en: "Do purchases in regions outside China count toward channel performance?",
        a_en: "Yes, they count toward channel performance. The incentive rates are set in the programme rules and differ slightly from those for the China region.",
    },
    Faq {
        id: "exam",
        topic_zh: "认证",
        topic_en: "Certification",
        q_zh: "如何进行服务伙伴认证考试?",
        a_zh: "使用完成个人实名认证的华为云账号，在华为云学习与认证网站完成相应学习与考试即可获取证书。伙伴中心的服务合作伙伴发展路径页面提供考试入口。",
        q_en: "How do I take the service-partner certification exam?",
        a_en: "Use a Huawei Cloud account with personal real-name verification to study and sit the exam on the Huawei Cloud learning and certification site; you receive a certificate. The service partner path page in the partner center links to it.",
    },
    Faq {
        id: "connectivity",
        topic_zh: "开放接口",
        topic_en: "Open API",
        q_zh: "如何测试到伙伴接口的网络连通性?",
        a_zh: "如果您是通过正向代理或者通过公网IP访问，可以在服务器上执行命令“curl -kv https://apigw-external-lb-waf.cn-north-4.myhuaweicloud.com”进行检查，若显示“connected to”则证明网络是通的。",
        q_en: "How do I check network connectivity to the partner API?",
        a_en: "If you go through a forward proxy or a public IP, run \"curl -kv https://apigw-external-lb-waf.cn-north-4.myhuaweicloud.com\" on your server; \"connected to\" in the output means the connection works.",
    },
    Faq {
        id: "employees",
        topic_zh: "组织",
        topic_en: "Organisation",
        q_zh: "哪些个人账号可以关联为伙伴的项目专员?",
        a_zh: "个人华为账号需已实名认证（仅中国站），且不是华为云伙伴账号，并且1年内未与3个伙伴关联过。员工使用个人账号登录后，在“未读消息”进入“消息中心”，通过账号关联通知中的链接接受邀请。",
        q_en: "Which personal accounts can be associated as a partner's employees?",
        a_en: "The personal Huawei account must be real-name verified (China site only), must not be a partner account, and must not have been associated with 3 partners within the last year. The person signs in, opens the message center from Unread messages and accepts through the link in the association notice.",
    },
];

/// The entries matching `query` (all of them for an empty query).
pub fn search(query: &str) -> Vec<&'static Faq> {
    let needle = query.trim().to_lowercase();
    FAQ.iter()
        .filter(|f| needle.is_empty() || f.matches(&needle))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_finds_questions_in_either_language() {
        assert_eq!(search("").len(), FAQ.len());
        let ids = |q: &str| search(q).iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(ids("充值"), ["resale-top-up", "contracts"]);
        assert_eq!(ids("TOP UP"), ["resale-top-up"]);
        assert_eq!(ids("curl"), ["connectivity"]);
        assert_eq!(ids("国外"), ["overseas"]);
        assert!(ids("no such words").is_empty());
    }
}
