-- Reference data: regions, occupations, skills and border crossings, with names in
-- zh-CN, vi and en. Present in every database; demo data is something else.
-- Sources:
--   China's administrative division codes: 中华人民共和国行政区划代码 (Ministry of Civil Affairs, 2023 list).
--   Viet Nam's province codes: ISO 3166-2:VN. Hà Giang and Bắc Kạn are kept under their ISO codes;
--   the 2025 merger of provinces folded them into Tuyên Quang and Thái Nguyên.
--   Border crossings: the China–Viet Nam land-border port list (Youyiguan/Hữu Nghị, Shuikou/Tà Lùng,
--   Aidian/Chi Ma, Dongxing/Móng Cái, Pingxiang rail/Đồng Đăng, Longbang/Trà Lĩnh).
--   Coordinates (micro-degrees) are approximate seats of government and port locations, for travel distance only.

CREATE TABLE regions (
    code TEXT PRIMARY KEY NOT NULL,
    parent_code TEXT REFERENCES regions (code),
    country TEXT NOT NULL CHECK (country IN ('CN', 'VN')),
    level TEXT NOT NULL CHECK (level IN ('country', 'province', 'prefecture', 'county')),
    name_zh TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lat_e6 BIGINT,
    lon_e6 BIGINT,
    source TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE occupations (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE skills (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE crossings (
    code TEXT PRIMARY KEY NOT NULL,
    cn_region_code TEXT NOT NULL REFERENCES regions (code),
    vn_region_code TEXT NOT NULL REFERENCES regions (code),
    name_zh TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lat_e6 BIGINT NOT NULL,
    lon_e6 BIGINT NOT NULL
);

INSERT INTO regions (code, parent_code, country, level, name_zh, name_vi, name_en, lat_e6, lon_e6, source) VALUES
('CN', NULL, 'CN', 'country', '中国', 'Trung Quốc', 'China', NULL, NULL, 'ISO 3166-1'),
('VN', NULL, 'VN', 'country', '越南', 'Việt Nam', 'Viet Nam', NULL, NULL, 'ISO 3166-1'),
('450000', 'CN', 'CN', 'province', '广西壮族自治区', 'Khu tự trị dân tộc Choang Quảng Tây', 'Guangxi Zhuang Autonomous Region', 22817000, 108366000, 'MCA division codes'),
('451400', '450000', 'CN', 'prefecture', '崇左市', 'Sùng Tả', 'Chongzuo', 22404000, 107365000, 'MCA division codes'),
('451402', '451400', 'CN', 'county', '江州区', 'Giang Châu', 'Jiangzhou District', 22405000, 107353000, 'MCA division codes'),
('451421', '451400', 'CN', 'county', '扶绥县', 'Phù Tuy', 'Fusui County', 22635000, 107904000, 'MCA division codes'),
('451422', '451400', 'CN', 'county', '宁明县', 'Ninh Minh', 'Ningming County', 22140000, 107076000, 'MCA division codes'),
('451423', '451400', 'CN', 'county', '龙州县', 'Long Châu', 'Longzhou County', 22343000, 106854000, 'MCA division codes'),
('451424', '451400', 'CN', 'county', '大新县', 'Đại Tân', 'Daxin County', 22829000, 107201000, 'MCA division codes'),
('451425', '451400', 'CN', 'county', '天等县', 'Thiên Đẳng', 'Tiandeng County', 23081000, 107143000, 'MCA division codes'),
('451481', '451400', 'CN', 'county', '凭祥市', 'Bằng Tường', 'Pingxiang City', 22094000, 106766000, 'MCA division codes'),
('450600', '450000', 'CN', 'prefecture', '防城港市', 'Phòng Thành Cảng', 'Fangchenggang', 21687000, 108355000, 'MCA division codes'),
('450602', '450600', 'CN', 'county', '港口区', 'Cảng Khẩu', 'Gangkou District', 21643000, 108380000, 'MCA division codes'),
('450603', '450600', 'CN', 'county', '防城区', 'Phòng Thành', 'Fangcheng District', 21769000, 108357000, 'MCA division codes'),
('450621', '450600', 'CN', 'county', '上思县', 'Thượng Tư', 'Shangsi County', 22153000, 107983000, 'MCA division codes'),
('450681', '450600', 'CN', 'county', '东兴市', 'Đông Hưng', 'Dongxing City', 21547000, 107972000, 'MCA division codes'),
('451000', '450000', 'CN', 'prefecture', '百色市', 'Bách Sắc', 'Baise', 23902000, 106618000, 'MCA division codes'),
('451002', '451000', 'CN', 'county', '右江区', 'Hữu Giang', 'Youjiang District', 23901000, 106618000, 'MCA division codes'),
('451026', '451000', 'CN', 'county', '那坡县', 'Na Pha', 'Napo County', 23387000, 105832000, 'MCA division codes'),
('451081', '451000', 'CN', 'county', '靖西市', 'Tĩnh Tây', 'Jingxi City', 23134000, 106417000, 'MCA division codes'),
('VN-09', 'VN', 'VN', 'province', '谅山省', 'Lạng Sơn', 'Lang Son', 21853000, 106761000, 'ISO 3166-2:VN'),
('VN-04', 'VN', 'VN', 'province', '高平省', 'Cao Bằng', 'Cao Bang', 22666000, 106258000, 'ISO 3166-2:VN'),
('VN-13', 'VN', 'VN', 'province', '广宁省', 'Quảng Ninh', 'Quang Ninh', 20951000, 107080000, 'ISO 3166-2:VN'),
('VN-03', 'VN', 'VN', 'province', '河江省', 'Hà Giang', 'Ha Giang', 22823000, 104984000, 'ISO 3166-2:VN (merged into Tuyên Quang, 2025)'),
('VN-02', 'VN', 'VN', 'province', '老街省', 'Lào Cai', 'Lao Cai', 22486000, 103970000, 'ISO 3166-2:VN'),
('VN-01', 'VN', 'VN', 'province', '莱州省', 'Lai Châu', 'Lai Chau', 22396000, 103458000, 'ISO 3166-2:VN'),
('VN-71', 'VN', 'VN', 'province', '奠边省', 'Điện Biên', 'Dien Bien', 21386000, 103023000, 'ISO 3166-2:VN'),
('VN-07', 'VN', 'VN', 'province', '宣光省', 'Tuyên Quang', 'Tuyen Quang', 21823000, 105214000, 'ISO 3166-2:VN'),
('VN-53', 'VN', 'VN', 'province', '北件省', 'Bắc Kạn', 'Bac Kan', 22147000, 105834000, 'ISO 3166-2:VN (merged into Thái Nguyên, 2025)'),
('VN-69', 'VN', 'VN', 'province', '太原省', 'Thái Nguyên', 'Thai Nguyen', 21594000, 105848000, 'ISO 3166-2:VN'),
('VN-54', 'VN', 'VN', 'province', '北江省', 'Bắc Giang', 'Bac Giang', 21273000, 106194000, 'ISO 3166-2:VN'),
('VN-68', 'VN', 'VN', 'province', '富寿省', 'Phú Thọ', 'Phu Tho', 21322000, 105402000, 'ISO 3166-2:VN'),
('VN-21', 'VN', 'VN', 'province', '清化省', 'Thanh Hóa', 'Thanh Hoa', 19807000, 105776000, 'ISO 3166-2:VN'),
('VN-22', 'VN', 'VN', 'province', '乂安省', 'Nghệ An', 'Nghe An', 18679000, 105681000, 'ISO 3166-2:VN');

INSERT INTO occupations (code, name_zh, name_vi, name_en) VALUES
('sugarcane_cutting', '甘蔗砍收', 'Chặt mía', 'Sugar-cane cutting'),
('cane_loading', '甘蔗装车', 'Bốc xếp mía', 'Cane loading'),
('sugar_mill', '糖厂季节工', 'Công nhân thời vụ nhà máy đường', 'Sugar-mill seasonal work'),
('cassava_harvest', '木薯收获', 'Thu hoạch sắn', 'Cassava harvesting'),
('fruit_picking', '水果采摘', 'Hái quả', 'Fruit picking'),
('banana_packing', '香蕉采收包装', 'Thu hoạch và đóng gói chuối', 'Banana harvesting and packing'),
('construction_labour', '建筑普工', 'Lao động phổ thông xây dựng', 'Construction labour'),
('farm_general', '农业普工', 'Lao động nông nghiệp', 'General farm labour');

INSERT INTO skills (code, name_zh, name_vi, name_en) VALUES
('cane_knife', '甘蔗刀砍', 'Chặt mía bằng dao', 'Cane cutting by knife'),
('heavy_loading', '装卸搬运', 'Bốc vác', 'Loading and carrying'),
('tractor_driving', '拖拉机驾驶', 'Lái máy kéo', 'Tractor driving'),
('machine_operation', '机器操作', 'Vận hành máy', 'Machine operation'),
('food_hygiene', '食品卫生', 'Vệ sinh thực phẩm', 'Food hygiene'),
('fruit_grading', '水果分拣', 'Phân loại quả', 'Fruit grading'),
('masonry', '砌筑', 'Xây trát', 'Masonry'),
('scaffolding', '脚手架', 'Giàn giáo', 'Scaffolding'),
('first_aid', '急救', 'Sơ cứu', 'First aid');

INSERT INTO crossings (code, cn_region_code, vn_region_code, name_zh, name_vi, name_en, lat_e6, lon_e6) VALUES
('youyiguan', '451481', 'VN-09', '友谊关口岸', 'Cửa khẩu Hữu Nghị', 'Youyiguan – Huu Nghi', 21975000, 106703000),
('pingxiang_rail', '451481', 'VN-09', '凭祥铁路口岸', 'Ga Đồng Đăng', 'Pingxiang rail – Dong Dang', 21946000, 106697000),
('shuikou', '451423', 'VN-04', '水口口岸', 'Cửa khẩu Tà Lùng', 'Shuikou – Ta Lung', 22445000, 106575000),
('aidian', '451422', 'VN-09', '爱店口岸', 'Cửa khẩu Chi Ma', 'Aidian – Chi Ma', 21780000, 107020000),
('dongxing', '450681', 'VN-13', '东兴口岸', 'Cửa khẩu Móng Cái', 'Dongxing – Mong Cai', 21540000, 107970000),
('longbang', '451081', 'VN-04', '龙邦口岸', 'Cửa khẩu Trà Lĩnh', 'Longbang – Tra Linh', 22860000, 106330000);
